// One script tag on another origin's page: the widget loads lazily, takes calls made before it
// is ready, and the response arrives in the collector's SQLite, field by field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector, startHost } from './support/servers.mjs';
import { launch, openPage } from './support/browser.mjs';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('embedding from another origin', () => {
  let collector, host, browser;
  before(async () => { [collector, host] = await Promise.all([startCollector(), startHost()]); browser = await launch(); });
  after(async () => { await browser.close(); collector.stop(); host.stop(); });
  const page = (query = '') => `${host.url}/page?widget=${collector.url}${query}`;

  it('stores the customer\'s response in the collector, field by field', async () => {
    assert.notEqual(new URL(host.url).origin, new URL(collector.url).origin);
    const started = Date.now();
    const { page: p, widget, log } = await openPage(browser, page('&txn=PAY-778899') + '#receipt');
    await widget.open();
    const comment = '排队太久 <img src=x onerror=alert(1)> & "quotes"';
    await widget.fillLowRating(comment);
    const reasonId = await widget.reasons.nth(0).getAttribute('data-reason');
    await widget.submit.click();
    await widget.thanks.waitFor();
    const submitted = (await widget.events()).filter((e) => e.name === 'submitted');
    assert.equal(submitted.length, 1);
    const id = submitted[0].detail.response_id;
    assert.match(id, UUID_V4);

    const stored = (await collector.responses()).find((r) => r.response_id === id);
    assert.ok(stored, 'the response is in the collector');
    assert.deepEqual(stored.transaction, { id: 'PAY-778899', type: 'bill_payment', unit: 'east-district-hall' });
    assert.deepEqual(stored.answers, { satisfaction: 2, reasons: [reasonId], comment });
    assert.equal(stored.locale, 'zh-CN');
    assert.equal(stored.page, `${host.url}/page`, 'no query string or fragment');
    assert.equal(typeof stored.survey.id, 'string');
    assert.ok(Number.isInteger(stored.survey.version));
    assert.match(stored.widget_version, /^\d+\.\d+\.\d+/);
    const at = Date.parse(stored.submitted_at);
    assert.ok(stored.submitted_at.endsWith('Z') && at >= started - 1000 && at <= Date.now() + 1000, stored.submitted_at);
    // The comment is shown as text on the thank-you path, never parsed as HTML.
    assert.equal(await p.evaluate(() => document.querySelector('survey-widget').shadowRoot.querySelectorAll('img').length), 0);
    assert.deepEqual(log.pageErrors, []);
    await p.close();
  });

  it('takes one response per transaction: a second one from another page still thanks the customer', async () => {
    const txn = `ONCE-${Date.now()}`;
    for (const score of [5, 4]) {
      const { page: p, widget, log } = await openPage(browser, page(`&txn=${txn}`));
      if (score === 5) await widget.open();
      else {
        // The display rules never ask twice about a transaction in one browser; force is how a
        // test (or a second browser) gets there.
        await p.evaluate(() => window.SurveyWidget.open({ transaction: { id: document.body.dataset.txn, type: 'bill_payment', unit: 'u' }, force: true }));
        await widget.settled();
      }
      await widget.rate(score);
      await widget.submit.click();
      await widget.thanks.waitFor();
      assert.deepEqual(log.pageErrors, []);
      await p.close();
    }
    const stored = (await collector.responses()).filter((r) => r.transaction.id === txn);
    assert.equal(stored.length, 1);
    assert.equal(stored[0].answers.satisfaction, 5, 'the first response is the one kept');
  });

  for (const load of ['async', 'defer', 'sync', 'inject']) {
    it(`works when the script tag is ${load === 'inject' ? 'added by a tag manager after load' : load}`, async () => {
      const { page: p, widget, log } = await openPage(browser, page(`&load=${load}`));
      await p.waitForFunction(() => window.SurveyWidget && window.SurveyWidget.open);
      await widget.open();
      await widget.rate(5);
      await widget.submit.click();
      await widget.thanks.waitFor();
      assert.deepEqual(log.pageErrors, []);
      await p.close();
    });
  }

  // On a host page, and on the demo hall, which embeds the widget the same way (trunk builds it,
  // but must not add its own loader or preload links to it).
  for (const [where, url] of [['a host page', () => page()], ['the demo hall', () => `${collector.url}/`]]) {
    it(`loads nothing of the widget before the page's load event, then loads it on idle (${where})`, async () => {
      const p = await browser.newPage();
      const requests = [];
      p.on('request', (r) => requests.push({ url: r.url(), at: Date.now() }));
      let loadedAt = 0;
      p.on('load', () => { loadedAt = Date.now(); });
      await p.goto(url());
      await p.waitForFunction(() => document.querySelector('survey-widget'));
      const widget = requests.filter((r) => /\/survey-widget[^/]*\.(js|wasm)$/.test(new URL(r.url).pathname));
      assert.equal(widget.length, 2, `the glue and the wasm, once each: ${widget.map((r) => r.url).join(', ')}`);
      for (const r of widget) assert.ok(loadedAt && r.at >= loadedAt, `${r.url} is requested after load`);
      await p.close();
    });
  }

  it('a returning visitor\'s browser has the glue and the wasm from its cache, without asking', async () => {
    // The demo hall: same origin, so Resource Timing shows transfer sizes (0 = from the cache).
    // A fresh profile: the other tests' pages have filled this browser's cache.
    const fresh = await launch();
    const p = await fresh.newPage();
    const widgetFiles = () => p.evaluate(() => performance.getEntriesByType('resource')
      .filter((r) => /\/(survey-widget[^/]*\.(js|wasm)|embed\.js)$/.test(r.name))
      .map((r) => ({ name: r.name.split('/').pop(), transfer: r.transferSize, body: r.decodedBodySize })));
    for (const visit of ['first', 'second']) {
      await p.goto(`${collector.url}/`);
      await p.waitForFunction(() => document.querySelector('survey-widget'));
      const files = await widgetFiles();
      assert.equal(files.length, 3, JSON.stringify(files));
      for (const f of files) {
        const cached = visit === 'second' && f.name !== 'embed.js';
        assert.ok(cached ? f.transfer === 0 && f.body > 0 : f.transfer > 0,
          `${visit} visit: ${f.name} ${cached ? 'from the cache' : 'over the network'} (${JSON.stringify(f)})`);
      }
    }
    await fresh.close();
  });

  it('replays calls made before the wasm is ready, in order, and answers the declarative event', async () => {
    // Hold the wasm back so that every call below is made before the widget is ready.
    let release;
    const held = new Promise((r) => { release = r; });
    const { page: p, widget } = await openPage(browser, 'about:blank');
    await p.route('**/*.wasm', async (route) => { await held; await route.continue(); });
    await p.goto(page('&load=defer'));
    await p.waitForFunction(() => window.SurveyWidget && window.SurveyWidget.open);
    assert.equal(await p.evaluate(() => document.querySelector('survey-widget')), null, 'not ready yet');
    await p.evaluate(() => {
      window.SurveyWidget.open({ transaction: { id: 'A', type: 't', unit: 'u' } });
      window.SurveyWidget.close();
      document.dispatchEvent(new CustomEvent('survey-widget:open', { detail: { transaction: { id: 'B', type: 't', unit: 'u' }, locale: 'en' } }));
    });
    release();
    await widget.dialog.waitFor();
    assert.equal(await p.locator('survey-widget .sw').getAttribute('lang'), 'en');
    const names = (await widget.events()).map((e) => e.name);
    assert.deepEqual(names, ['shown', 'shown']);
    await widget.rate(4);
    await widget.submit.click();
    await widget.thanks.waitFor();
    const id = (await widget.events()).find((e) => e.name === 'submitted').detail.response_id;
    const stored = (await collector.responses()).find((r) => r.response_id === id);
    assert.equal(stored.transaction.id, 'B');
    assert.equal(stored.locale, 'en');
    await p.close();
  });

  it('emits dismissed when the customer closes it, and keeps the draft for the same transaction', async () => {
    const { page: p, widget } = await openPage(browser, page());
    await widget.open();
    await widget.rate(3);
    await widget.comment.fill('half written');
    await p.keyboard.press('Escape');
    await widget.dialog.waitFor({ state: 'detached' });
    assert.deepEqual((await widget.events()).map((e) => e.name), ['shown', 'dismissed']);
    // Asked once per transaction: opening it again is skipped, unless forced.
    await p.click('#pay');
    await p.waitForFunction(() => window.__events.some((e) => e.name === 'skipped'));
    assert.deepEqual((await widget.events()).at(-1).detail, { rule: 'once_per_transaction' });
    await p.evaluate(() => window.SurveyWidget.open({ transaction: { id: document.body.dataset.txn, type: 'bill_payment', unit: 'east-district-hall' }, force: true }));
    await widget.settled();
    assert.equal(await widget.comment.inputValue(), 'half written');
    assert.ok(await widget.options.nth(2).isChecked());
    // APG: focus returns to the checked star, not the first one.
    await p.waitForFunction(() => document.querySelector('survey-widget').shadowRoot.activeElement?.checked === true);
    await p.close();
  });
});
