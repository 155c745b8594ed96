// Bad input and failing servers: a clear error, nothing lost, and the host page keeps working.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector, startHost, startFaultyEndpoint } from './support/servers.mjs';
import { launch, openPage } from './support/browser.mjs';

describe('faults', () => {
  let collector, host, browser;
  before(async () => { [collector, host] = await Promise.all([startCollector(), startHost()]); browser = await launch(); });
  after(async () => { await browser.close(); collector.stop(); host.stop(); });
  const page = (query = '') => `${host.url}/page?widget=${collector.url}${query}`;

  const badConfigs = [
    ['a missing data-endpoint', '&omit=endpoint', /data-endpoint is missing/],
    ['a data-endpoint that is not http(s)', '&endpoint=ftp://example.com/v1/responses', /data-endpoint "ftp:\/\/example.com\/v1\/responses" is not an http\(s\) URL/],
    ['an unsupported data-locale', '&locale=fr', /data-locale "fr" is not supported/],
    ['a data-accent that is not a colour', '&accent=notacolour', /data-accent "notacolour" is not a CSS colour/],
  ];
  for (const [what, query, message] of badConfigs) {
    it(`reports ${what} once, renders nothing, and leaves the host working`, async () => {
      const { page: p, widget, log } = await openPage(browser, page(query));
      await p.click('#pay');
      await p.waitForFunction(() => window.__events.some((e) => e.name === 'error'));
      await p.click('#pay');
      await p.waitForTimeout(300);
      const errors = log.console.filter((m) => m.type === 'error');
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0].text, /^\[survey-widget\] /);
      assert.match(errors[0].text, message);
      assert.equal((await widget.events()).find((e) => e.name === 'error').detail.code, 'config');
      assert.equal(await p.locator('survey-widget').count(), 0);
      assert.deepEqual(log.pageErrors, []);
      await p.click('#other');
      assert.equal(await p.textContent('#host-output'), 'host still works');
      await p.close();
    });
  }

  it('rejects open() without a valid transaction with one precise error', async () => {
    const { page: p, widget, log } = await openPage(browser, page());
    await p.waitForFunction(() => window.SurveyWidget);
    await p.evaluate(() => window.SurveyWidget.open({ transaction: { id: 'X', type: '', unit: 'u' } }));
    await p.waitForFunction(() => window.__events.some((e) => e.name === 'error'));
    const errors = log.console.filter((m) => m.type === 'error');
    assert.deepEqual(errors.map((e) => e.text), ['[survey-widget] open(): transaction.type must not be empty']);
    assert.equal(await widget.dialog.count(), 0);
    await p.evaluate(() => window.SurveyWidget.open());
    await p.waitForFunction(() => window.__events.filter((e) => e.name === 'error').length === 2);
    assert.match(log.console.at(-1).text, /transaction is required/);
    await p.evaluate(() => window.SurveyWidget.open({ transaction: { id: 'X', type: 't', unit: 'u' }, locale: 'fr' }));
    await p.waitForFunction(() => window.__events.filter((e) => e.name === 'error').length === 3);
    assert.equal(log.console.at(-1).text, '[survey-widget] open(): locale "fr" is not supported: use "zh-CN" or "en"');
    assert.equal(await widget.dialog.count(), 0);
    assert.deepEqual(log.pageErrors, []);
    await p.close();
  });

  it('says the response is saved when the endpoint fails, then sends the same response by itself', async () => {
    const endpoint = await startFaultyEndpoint({ failures: 1, status: 503 });
    const { page: p, widget, log } = await openPage(browser, page(`&endpoint=${endpoint.url}`));
    await widget.open();
    await widget.fillLowRating('第一次失败');
    await widget.submit.click();
    await widget.thanks.waitFor();
    await p.waitForFunction(() => window.__events.some((e) => e.name === 'submitted'));
    assert.equal(endpoint.requests.length, 2);
    const [first, second] = endpoint.requests;
    assert.equal(first.body.response_id, second.body.response_id, 'a retry is the same response');
    assert.deepEqual(first.body, second.body, 'byte for byte the same body');
    assert.equal(first.headers['idempotency-key'], first.body.response_id);
    assert.equal(first.headers['content-type'], 'application/json');
    assert.deepEqual((await widget.events()).filter((e) => e.name === 'error'), [], 'a retried response is no error');
    assert.deepEqual(log.pageErrors, []);
    await p.close();
    endpoint.stop();
  });

  it('sends once on a double click', async () => {
    const endpoint = await startFaultyEndpoint({ failures: 0 });
    const { page: p, widget } = await openPage(browser, page(`&endpoint=${endpoint.url}`));
    await widget.open();
    await widget.rate(4);
    await widget.submit.dblclick();
    await widget.thanks.waitFor();
    await p.waitForTimeout(500);
    assert.equal(endpoint.requests.length, 1);
    await p.close();
    endpoint.stop();
  });

  it('counts a request with no answer after 10 s as failed, says the response is saved, and sends it again', async () => {
    const endpoint = await startFaultyEndpoint({ failures: 1, status: 0 });
    const { page: p, widget } = await openPage(browser, page(`&endpoint=${endpoint.url}`));
    await widget.open();
    await widget.rate(5);
    await widget.comment.fill('会超时');
    const started = Date.now();
    await widget.submit.click();
    await widget.thanks.waitFor({ timeout: 15000 });
    const waited = Date.now() - started;
    assert.ok(waited >= 9500 && waited < 14000, `${waited} ms`);
    await p.waitForFunction(() => window.__events.some((e) => e.name === 'submitted'));
    assert.equal(endpoint.requests.length, 2);
    assert.equal(endpoint.requests[1].body.answers.comment, '会超时');
    await p.close();
    endpoint.stop();
  });

  it('is answered 422 by the collector for a payload that breaks the rules, naming the field', async () => {
    const res = await fetch(`${collector.url}/v1/responses`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ response_id: 'nope', survey: { id: 'default', version: 1 }, transaction: { id: 'x', type: 'y', unit: 'z' }, answers: { satisfaction: 1 }, locale: 'zh-CN', submitted_at: '2026-11-27T00:00:00Z', page: 'https://a.cn/', widget_version: '0.1.0' }),
    });
    assert.equal(res.status, 422);
    const body = await res.json();
    assert.deepEqual(body.fields.map((f) => f.field).sort(), ['answers.reasons', 'response_id']);
  });
});
