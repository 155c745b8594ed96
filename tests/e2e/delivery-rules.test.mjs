// Display rules end to end (issue 4): when open() shows the survey, and when it is skipped with
// a `survey-widget:skipped` event and one console.debug. Days pass on Playwright's clock
// (page.clock), not by sleeping. These are the built-in survey's default rules: once per
// transaction, a 7-day cooldown after a dismissal, no recontact wait, 100 % sampled, no delay.
import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector, startHost } from './support/servers.mjs';
import { startFaultServer } from './support/fault-server.mjs';
import { launch, openPage } from './support/browser.mjs';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.parse('2026-11-27T10:00:00Z');

describe('display rules', () => {
  let collector, host, server, browser;
  before(async () => { [collector, host, server] = await Promise.all([startCollector(), startHost(), startFaultServer()]); });
  after(async () => { collector.stop(); host.stop(); await server.stop(); });
  beforeEach(async () => { server.reset(); browser = await launch(); });
  afterEach(async () => { await browser.close(); });

  const url = () => `${host.url}/page?widget=${collector.url}&endpoint=${server.endpoint}`;
  /** Calls open() for transaction `id` and waits until it was either shown or skipped. */
  const open = async (page, id, extra = {}) => {
    const before = await page.evaluate(() => window.__events.length);
    await page.evaluate(([t, x]) => window.SurveyWidget.open({ transaction: { id: t, type: 'bill_payment', unit: 'u' }, ...x }), [id, extra]);
    await page.waitForFunction((n) => window.__events.slice(n).some((e) => e.name === 'shown' || e.name === 'skipped'), before);
    return page.evaluate((n) => window.__events.slice(n).find((e) => e.name === 'shown' || e.name === 'skipped'), before);
  };
  const debugs = (log) => log.console.filter((m) => m.type === 'debug' && m.text.startsWith('[survey-widget]'));

  it('never asks twice for the same transaction, across reloads; force bypasses it', async () => {
    const { page, widget, log } = await openPage(browser, url());
    await page.waitForFunction(() => window.SurveyWidget);
    assert.equal((await open(page, 'ONCE-1')).name, 'shown');
    await widget.rate(5);
    await widget.submit.click();
    await server.waitForStored(1);
    await widget.$('close').first().click();
    await page.reload();
    await page.waitForFunction(() => window.SurveyWidget);
    const skipped = await open(page, 'ONCE-1');
    assert.deepEqual(skipped, { name: 'skipped', detail: { rule: 'once_per_transaction' } });
    assert.equal(await widget.dialog.count(), 0);
    assert.equal(debugs(log).length, 1, JSON.stringify(log.console));
    assert.match(debugs(log)[0].text, /once_per_transaction/);
    // No recontact wait by default: the next transaction is asked.
    assert.equal((await open(page, 'ONCE-2')).name, 'shown');
    await widget.$('close').first().click();
    // force: shown whatever the rules say.
    assert.equal((await open(page, 'ONCE-1', { force: true })).name, 'shown');
    assert.equal(await widget.dialog.count(), 1);
  });

  it('waits 7 days after a dismissal, to the millisecond, on the page clock', async () => {
    await browser.clock.setFixedTime(T0);
    const { page, widget, log } = await openPage(browser, url());
    await page.waitForFunction(() => window.SurveyWidget);
    assert.equal((await open(page, 'COOL-1')).name, 'shown');
    await widget.$('close').first().click();
    assert.equal((await page.evaluate(() => window.__events.filter((e) => e.name === 'dismissed'))).length, 1);
    assert.deepEqual(await open(page, 'COOL-2'), { name: 'skipped', detail: { rule: 'cooldown' } });
    await page.clock.setFixedTime(T0 + 7 * DAY - 1000);
    await page.reload();
    await page.waitForFunction(() => window.SurveyWidget);
    assert.deepEqual(await open(page, 'COOL-3'), { name: 'skipped', detail: { rule: 'cooldown' } });
    assert.equal((await open(page, 'COOL-3', { force: true })).name, 'shown', 'force ignores the cooldown');
    await page.evaluate(() => window.SurveyWidget.close());
    await page.clock.setFixedTime(T0 + 7 * DAY + 1000);
    await page.reload();
    await page.waitForFunction(() => window.SurveyWidget);
    assert.equal((await open(page, 'COOL-4')).name, 'shown');
    assert.ok(debugs(log).every((m) => /cooldown/.test(m.text)));
  });
});
