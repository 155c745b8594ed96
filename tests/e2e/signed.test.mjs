// Signed transactions end to end: the host's back end mints a token (here: the collector's own
// `mint-token`), the page passes it to SurveyWidget.open, and a collector configured with the
// key takes the response; without a token the same collector refuses it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { collectorBin, startCollector, startHost } from './support/servers.mjs';
import { launch, openPage } from './support/browser.mjs';

const KEY = `e2e-1=${Buffer.alloc(32, 7).toString('base64')}`;

function mint(txn) {
  return execFileSync(collectorBin, ['mint-token', '--transaction-id', txn, '--type', 'bill_payment',
    '--unit', 'east-district-hall', '--ttl', '600'], { env: { ...process.env, SURVEY_MINT_KEY: KEY } })
    .toString().trim();
}

describe('signed transactions', () => {
  let collector, host, browser;
  before(async () => {
    [collector, host] = await Promise.all([startCollector({ args: ['--transaction-key', KEY] }), startHost()]);
    browser = await launch();
  });
  after(async () => { await browser.close(); collector.stop(); host.stop(); });
  const page = (query) => `${host.url}/page?widget=${collector.url}${query}`;

  it('passes the token from open() to a collector that requires one', async () => {
    const txn = `SIG-${randomUUID()}`;
    const token = mint(txn);
    assert.match(token, /^v1\.e2e-1\.\d+\./);
    const { page: p, widget, log } = await openPage(browser, page(`&txn=${txn}&token=${encodeURIComponent(token)}`));
    await widget.open();
    await widget.fillLowRating('签名交易');
    await widget.submit.click();
    await widget.thanks.waitFor();
    const stored = (await collector.responses()).find((r) => r.transaction.id === txn);
    assert.ok(stored, 'stored');
    assert.equal(stored.transaction.token, undefined, 'the token is not stored');
    assert.deepEqual(log.pageErrors, []);
    await p.close();
  });

  it('is refused without a token, and the customer keeps their answers', async () => {
    const txn = `SIG-${randomUUID()}`;
    const { page: p, widget } = await openPage(browser, page(`&txn=${txn}`));
    await widget.open();
    await widget.fillLowRating('没有签名');
    await widget.submit.click();
    await widget.$('error').waitFor();
    const error = (await widget.events()).find((e) => e.name === 'error');
    assert.equal(error.detail.code, 'submit');
    assert.match(error.detail.message, /403/);
    assert.equal(await widget.comment.inputValue(), '没有签名');
    assert.equal((await collector.responses()).find((r) => r.transaction.id === txn), undefined);
    await p.close();
  });

  it('refuses a malformed token at open() with one precise error', async () => {
    const { page: p, widget } = await openPage(browser, page(`&token=${'x'.repeat(257)}`));
    await p.click('#pay');
    await p.waitForFunction(() => window.__events.some((e) => e.name === 'error'));
    const error = (await widget.events()).find((e) => e.name === 'error');
    assert.deepEqual(error.detail, { code: 'open', message: 'open(): transaction.token is too long' });
    assert.equal(await widget.dialog.count(), 0);
    await p.close();
  });
});
