// Display rules end to end (issue 4): when open() shows the survey, and when it is skipped with
// a `survey-widget:skipped` event and one console.debug. Days pass on Playwright's clock
// (page.clock), not by sleeping. The first tests use the built-in survey's default rules (once
// per transaction, a 7-day cooldown after a dismissal, no recontact wait, 100 % sampled, no
// delay); the others an inline definition (data-survey) with its own display.rules.
import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCollector, startHost, root } from './support/servers.mjs';
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
  /** A page whose survey is the built-in definition with these display rules, inline. */
  const withRules = (rules) => {
    const def = JSON.parse(readFileSync(join(root, 'model/surveys/default.json'), 'utf8'));
    def.id = 'e2e-rules';
    def.display = { ...(def.display ?? {}), rules };
    return `${url()}&survey=survey-def&inline=${encodeURIComponent(JSON.stringify(def))}`;
  };
  const ready = (page) => page.waitForFunction(() => document.querySelector('survey-widget'));
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

  it('offers the survey only for the allowed transaction types', async () => {
    const { page } = await openPage(browser, withRules({ transaction_types: ['bill_payment'] }));
    await ready(page);
    const other = await page.evaluate(() => {
      window.SurveyWidget.open({ transaction: { id: 'TYPE-1', type: 'meter_reading', unit: 'u' } });
      return window.__events.at(-1);
    });
    assert.deepEqual(other, { name: 'skipped', detail: { rule: 'transaction_type' } });
    assert.equal((await open(page, 'TYPE-2')).name, 'shown');
  });

  it('samples once per transaction and remembers the draw across reloads', async () => {
    await browser.addInitScript(() => { Math.random = () => Number(sessionStorage.getItem('draw') ?? '0.99'); });
    const { page } = await openPage(browser, withRules({ sample_rate: 50 }));
    await ready(page);
    assert.deepEqual(await open(page, 'SAMPLE-1'), { name: 'skipped', detail: { rule: 'sampled_out' } });
    await page.evaluate(() => sessionStorage.setItem('draw', '0'));
    await page.reload();
    await ready(page);
    assert.deepEqual(await open(page, 'SAMPLE-1'), { name: 'skipped', detail: { rule: 'sampled_out' } }, 'decided once');
    assert.equal((await open(page, 'SAMPLE-2')).name, 'shown', 'a new transaction is drawn again');
  });

  it('waits the recontact days after an answer (90 days, HaTS-style)', async () => {
    await browser.clock.setFixedTime(T0);
    const { page, widget } = await openPage(browser, withRules({ recontact_days: 90 }));
    await ready(page);
    assert.equal((await open(page, 'RE-1')).name, 'shown');
    await widget.rate(4);
    await widget.submit.click();
    await server.waitForStored(1);
    assert.deepEqual(await open(page, 'RE-2'), { name: 'skipped', detail: { rule: 'recontact_wait' } });
    await page.clock.setFixedTime(T0 + 90 * DAY - 1000);
    await page.reload();
    await ready(page);
    assert.deepEqual(await open(page, 'RE-3'), { name: 'skipped', detail: { rule: 'recontact_wait' } });
    await page.clock.setFixedTime(T0 + 90 * DAY + 1000);
    await page.reload();
    await ready(page);
    assert.equal((await open(page, 'RE-4')).name, 'shown');
  });

  it('shows the survey after its delay; force shows it at once; close() cancels a waiting open', async () => {
    const { page, widget } = await openPage(browser, withRules({ delay_ms: 1200 }));
    await ready(page);
    const started = Date.now();
    assert.equal((await open(page, 'DELAY-1')).name, 'shown');
    assert.ok(Date.now() - started >= 1100, `${Date.now() - started} ms`);
    await page.evaluate(() => window.SurveyWidget.close());
    await page.evaluate(() => {
      window.SurveyWidget.open({ transaction: { id: 'DELAY-2', type: 'bill_payment', unit: 'u' } });
      window.SurveyWidget.close();
    });
    await page.waitForTimeout(1500);
    assert.equal(await widget.dialog.count(), 0, 'cancelled by close()');
    const forced = Date.now();
    assert.equal((await open(page, 'DELAY-3', { force: true })).name, 'shown');
    assert.ok(Date.now() - forced < 1000, 'force ignores the delay');
  });
});
