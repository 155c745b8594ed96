// Delivery end to end (issue 4): the widget in real Chromium against a real local endpoint that
// fails on purpose (support/fault-server.mjs). Every test asserts on the server's own log: each
// response_id stored exactly once, nothing missing. The retry schedule runs on a base of a few
// milliseconds (data-test-retry-base-ms); its caps and Retry-After stay as shipped.
import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCollector, startHost, root } from './support/servers.mjs';
import { startFaultServer } from './support/fault-server.mjs';
import { launch, openPage } from './support/browser.mjs';

// The UI strings, read from the widget's own table (src/i18n.rs), never copied.
const table = readFileSync(join(root, 'src/i18n.rs'), 'utf8');
const strings = (key) => [...table.matchAll(new RegExp(`^\\s+${key}: "([^"]+)",$`, 'gm'))].map((m) => m[1]);
const [SAVED_ZH, SAVED_EN] = strings('saved');
const [ERROR_SERVER_ZH] = strings('error_server');
const OUTBOX_KEY = 'survey-widget:v1:outbox';

describe('delivery', () => {
  let collector, host, server, browser;
  before(async () => { [collector, host, server] = await Promise.all([startCollector(), startHost(), startFaultServer()]); });
  after(async () => { collector.stop(); host.stop(); await server.stop(); });
  beforeEach(async () => { server.reset(); browser = await launch(); });
  afterEach(async () => { await browser.close(); });

  let txnCounter = 0;
  /** A host page on `server`'s endpoint with a fast retry schedule; a fresh transaction each. */
  const url = ({ base = 20, txn = `D-${process.pid}-${(txnCounter += 1)}`, locale } = {}) =>
    `${host.url}/page?widget=${collector.url}&endpoint=${server.endpoint}&retrybase=${base}&txn=${txn}`
    + (locale ? `&locale=${locale}` : '');

  /** Opens the survey, rates it and submits; returns the page objects. */
  async function submitOn(page, widget, score = 4) {
    await widget.open();
    await widget.rate(score);
    await widget.submit.click();
  }
  /** Waits until the widget's wasm has booted (it adds its host element). */
  const booted = (page) => page.waitForFunction(() => document.querySelector('survey-widget'));
  const thanksText = (widget) => widget.page.locator('survey-widget #sw-thanks').textContent();
  const events = (page, name) => page.evaluate((n) => window.__events.filter((e) => e.name === n), name);
  const onlyId = () => {
    const ids = [...new Set(server.posts().map((e) => e.json?.response_id).filter(Boolean))];
    assert.equal(ids.length, 1, server.summary());
    return ids[0];
  };

  it('1. 503 for a long while, then recovery: saved, then delivered once', async () => {
    server.plan({ status: 503, times: 6 });
    const { page, widget, log } = await openPage(browser, url());
    await submitOn(page, widget);
    await widget.thanks.waitFor();
    assert.equal(await thanksText(widget), SAVED_ZH, 'the customer is told it is saved');
    await server.waitForStored(1);
    const id = onlyId();
    await page.waitForFunction(() => window.__events.some((e) => e.name === 'submitted'));
    assert.notEqual(await thanksText(widget), SAVED_ZH, 'then thanked');
    server.assertStoredOnce([id]);
    server.assertPostedTimes([id], 7);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(await events(page, 'error'), [], 'a retried response is no error');
  });

  it('2. offline at submit, then a reload online: the same id arrives once', async () => {
    const { page, widget } = await openPage(browser, url());
    await booted(page);
    await page.context().setOffline(true);
    await submitOn(page, widget);
    await widget.thanks.waitFor();
    assert.equal(await thanksText(widget), SAVED_ZH);
    const stored = await page.evaluate((k) => localStorage.getItem(k), OUTBOX_KEY);
    assert.match(stored, /^I\t/, 'in the outbox before any send');
    // Leave the page (pagehide: its keepalive attempt fails too, offline).
    await page.goto('about:blank');
    await browser.setOffline(false);
    const again = await openPage(browser, url());
    await server.waitForStored(1);
    const id = onlyId();
    assert.ok(stored.includes(id));
    await again.page.waitForTimeout(300);
    server.assertStoredOnce([id]);
    // The pagehide keepalive attempt may still reach the endpoint once the browser is online
    // again; the next page cannot know, so its copy is a replay, never a second response.
    assert.ok(server.postsOf(id).slice(1).every((e) => e.outcome === 'replay'), server.summary());
  });

  it('3. a request blackholed in flight, then a reload: stored once', async () => {
    server.plan({ blackhole: true });
    const { page, widget } = await openPage(browser, url());
    await submitOn(page, widget);
    await server.waitForPosts(1);
    const stored = await page.evaluate((k) => localStorage.getItem(k), OUTBOX_KEY);
    const id = stored.split('\t')[1];
    await page.reload();
    await server.waitForStored(1);
    await booted(page);
    // Let the new page's flush run: a copy sent again must be recognised as a replay.
    await page.waitForFunction((k) => !(localStorage.getItem(k) || '').includes('\nI\t') && !(localStorage.getItem(k) || '').startsWith('I\t'), OUTBOX_KEY);
    server.assertStoredOnce([id]);
  });

  it('4. three 500s, then 200: exactly 4 requests', async () => {
    server.plan({ status: 500, times: 3 });
    const { page, widget } = await openPage(browser, url());
    await submitOn(page, widget);
    await server.waitForStored(1);
    await page.waitForTimeout(400);
    const id = onlyId();
    server.assertStoredOnce([id]);
    server.assertPostedTimes([id], 4);
  });

  it('5. always 500: attempts stop at the cap of 10 and the page stays quiet', async () => {
    server.plan({ status: 500, times: 50 });
    const { page, widget, log } = await openPage(browser, url({ base: 5 }));
    await submitOn(page, widget);
    await page.waitForFunction(() => window.__events.some((e) => e.name === 'error'), null, { timeout: 10_000 });
    const id = onlyId();
    server.assertPostedTimes([id], 10);
    await page.waitForTimeout(1000);
    server.assertPostedTimes([id], 10);
    server.assertStoredOnce([]);
    const errors = await events(page, 'error');
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0].detail.code, 'submit');
    assert.deepEqual(log.pageErrors, []);
    assert.equal(log.console.filter((m) => m.type === 'error' && m.text.startsWith('[survey-widget]')).length, 1);
    // The customer's words are still on screen, with a retry.
    assert.equal(await widget.$('error').isVisible(), true);
    assert.ok(await widget.options.nth(3).isChecked());
  });

  it('6. 429 with Retry-After: 2: no attempt before 2 s', async () => {
    server.plan({ status: 429, retryAfter: '2' });
    const { page, widget } = await openPage(browser, url());
    await submitOn(page, widget);
    await server.waitForStored(1, 6000);
    const [first, second] = server.posts();
    assert.ok(second.time - first.time >= 2000, `${second.time - first.time} ms`);
    server.assertStoredOnce([onlyId()]);
    await page.close();
  });

  it('7. 422: never retried, not even after a reload', async () => {
    server.plan({ status: 422 });
    const { page, widget } = await openPage(browser, url());
    await submitOn(page, widget);
    await page.waitForFunction(() => window.__events.some((e) => e.name === 'error'));
    assert.equal((await events(page, 'error'))[0].detail.code, 'submit');
    assert.equal(await widget.$('error').textContent(), ERROR_SERVER_ZH);
    const id = onlyId();
    await page.reload();
    await page.waitForFunction(() => window.SurveyWidget);
    await page.waitForTimeout(500);
    server.assertPostedTimes([id], 1);
    server.assertStoredOnce([]);
  });

  it('8. 409: the customer sees success', async () => {
    server.plan({ status: 409 });
    const { page, widget } = await openPage(browser, url());
    await submitOn(page, widget);
    await page.waitForFunction(() => window.__events.some((e) => e.name === 'submitted'));
    await widget.thanks.waitFor();
    assert.notEqual(await thanksText(widget), SAVED_ZH);
    assert.deepEqual(await events(page, 'error'), []);
    await page.waitForTimeout(300);
    server.assertPostedTimes([onlyId()], 1);
  });

  it('9. submit, then navigate away at once: the body arrives (not only a preflight)', async () => {
    const { page, widget } = await openPage(browser, url());
    await widget.open();
    await widget.rate(5);
    await page.evaluate(() => {
      document.querySelector('survey-widget').shadowRoot.querySelector('[data-testid=submit]').click();
      window.location.href = 'about:blank';
    });
    await server.waitForStored(1);
    await page.waitForTimeout(300);
    server.assertStoredOnce([onlyId()]);
  });

  it('9b. a request still in flight at pagehide is sent again with keepalive, as text/plain', async () => {
    server.plan({ hang: true });
    const { page, widget } = await openPage(browser, url());
    await submitOn(page, widget);
    await server.waitForPosts(1);
    await page.goto('about:blank');
    await server.waitForStored(1);
    const id = onlyId();
    server.assertStoredOnce([id]);
    const [hung, keepalive] = server.postsOf(id);
    assert.equal(hung.headers['content-type'], 'application/json');
    assert.equal(hung.headers['idempotency-key'], id);
    assert.match(keepalive.headers['content-type'], /^text\/plain/);
    assert.equal(keepalive.body, hung.body, 'byte for byte the same body');
  });

  it('10. localStorage throwing: still delivered, and no host exception', async () => {
    await browser.addInitScript(() => {
      for (const m of ['getItem', 'setItem', 'removeItem']) {
        Storage.prototype[m] = () => { throw new DOMException('blocked', 'SecurityError'); };
      }
    });
    server.plan({ status: 503, times: 2 });
    const { page, widget, log } = await openPage(browser, url());
    await submitOn(page, widget);
    await server.waitForStored(1);
    await page.waitForFunction(() => window.__events.some((e) => e.name === 'submitted'));
    server.assertStoredOnce([onlyId()]);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(await events(page, 'error'), []);
  });

  it('11. 200 pending items: the outbox stays within its caps (20 items, 64 KB)', async () => {
    const { page } = await openPage(browser, url());
    await booted(page);
    await page.context().setOffline(true);
    await page.evaluate(async () => {
      const root = () => document.querySelector('survey-widget').shadowRoot;
      const deadline = Date.now() + 30_000;
      const until = async (check) => {
        while (!check()) {
          if (Date.now() > deadline) throw new Error('the widget did not get there');
          await new Promise((r) => setTimeout(r, 0));
        }
      };
      for (let i = 0; i < 200; i += 1) {
        window.SurveyWidget.open({ transaction: { id: `MANY-${i}`, type: 'bill_payment', unit: 'u' }, force: true });
        await until(() => root().querySelector(`[data-testid=dialog]`)?.dataset && !root().querySelector('[data-testid=thanks]:not([hidden])'));
        root().querySelectorAll('[data-testid=rating-option]')[4].click();
        await until(() => root().querySelector('[data-testid=rating-option]:checked'));
        root().querySelector('[data-testid=submit]').click();
        await until(() => root().querySelector('[data-testid=thanks]:not([hidden])'));
      }
    });
    const stored = await page.evaluate((k) => localStorage.getItem(k), OUTBOX_KEY);
    const items = stored.split('\n').filter((l) => l.startsWith('I\t'));
    assert.equal(items.length, 20);
    assert.ok(new TextEncoder().encode(stored).length <= 64 * 1024);
    const evicted = (await events(page, 'error')).filter((e) => /outbox was full/.test(e.detail.message));
    const all = await events(page, 'error');
    assert.equal(evicted.length, 180, JSON.stringify(all.slice(0, 3)) + all.length);
    const kept = items.map((l) => l.split('\t')[1]);
    await page.context().setOffline(false);
    await server.waitForStored(20);
    await page.waitForTimeout(300);
    server.assertStoredOnce(kept);
    server.assertPostedTimes(kept, 1);
  });

  it('12. two tabs open at once: each item once', async () => {
    const a = await openPage(browser, url());
    const b = await openPage(browser, url());
    await booted(a.page);
    await booted(b.page);
    await browser.setOffline(true);
    await submitOn(a.page, a.widget, 2 + 3);
    await submitOn(b.page, b.widget, 4);
    await a.widget.thanks.waitFor();
    await b.widget.thanks.waitFor();
    await browser.setOffline(false);
    await server.waitForStored(2);
    await a.page.waitForTimeout(500);
    const ids = [...new Set(server.posts().map((e) => e.json.response_id))];
    assert.equal(ids.length, 2);
    server.assertStoredOnce(ids);
    server.assertPostedTimes(ids, 1);
  });

  it('a back/forward cache restore never sends again', async () => {
    await browser.addInitScript(() => {
      window.addEventListener('pageshow', (e) => { if (e.persisted) window.__restored = true; });
    });
    const { page, widget } = await openPage(browser, url());
    await submitOn(page, widget);
    await server.waitForStored(1);
    await page.waitForFunction(() => window.__events.some((e) => e.name === 'submitted'));
    await page.evaluate((u) => { window.location.href = u; }, `${host.url}/host.css`);
    await page.waitForURL(/host\.css/);
    await page.evaluate(() => history.back());
    await page.waitForFunction(() => window.__events);
    await page.waitForTimeout(500);
    server.assertPostedTimes([onlyId()], 1);
  });

  it('shows the saved state in English too', async () => {
    server.plan({ status: 503, times: 100 });
    const { page, widget } = await openPage(browser, url({ locale: 'en' }));
    await submitOn(page, widget);
    await widget.thanks.waitFor();
    assert.equal(await thanksText(widget), SAVED_EN);
    assert.equal(await widget.live.textContent(), SAVED_EN);
  });
});
