// The widget never breaks the host page and the host page never breaks the widget: hostile
// global CSS, a strict Content-Security-Policy, and the same policy without 'wasm-unsafe-eval'.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector, startHost } from './support/servers.mjs';
import { launch, openPage } from './support/browser.mjs';

// Elements whose look must not change, and the computed properties compared.
const PROBES = ['.sw-card', '.sw-title', '.sw-close', '.sw-star', '.sw-legend', '.sw-chip', '.sw-comment', '.sw-count', '.sw-submit'];
const PROPS = ['font-size', 'font-family', 'color', 'background-color', 'width', 'height', 'box-sizing', 'margin-top', 'padding-top', 'line-height', 'letter-spacing', 'display', 'border-top-width'];

async function computed(page) {
  return page.evaluate(([probes, props]) => {
    const root = document.querySelector('survey-widget').shadowRoot;
    return Object.fromEntries(probes.map((sel) => {
      const style = getComputedStyle(root.querySelector(sel));
      return [sel, Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]))];
    }));
  }, [PROBES, PROPS]);
}

describe('isolation from the host page', () => {
  let collector, host, browser;
  before(async () => { [collector, host] = await Promise.all([startCollector(), startHost()]); browser = await launch(); });
  after(async () => { await browser.close(); collector.stop(); host.stop(); });
  const page = (query = '') => `${host.url}/page?widget=${collector.url}${query}`;

  async function lowRatingState(query) {
    const opened = await openPage(browser, page(query));
    await opened.widget.open();
    await opened.widget.fillLowRating('太慢了');
    await opened.page.mouse.move(0, 0);
    await opened.page.evaluate(() => document.activeElement.blur());
    return opened;
  }

  it('looks and works the same under hostile global CSS', async () => {
    const neutral = await lowRatingState('');
    const hostile = await lowRatingState('&hostile=1');
    // The hostile sheet really applies to the host page.
    assert.equal(await hostile.page.evaluate(() => getComputedStyle(document.querySelector('#bill')).color), 'rgb(255, 0, 0)');
    assert.deepEqual(await computed(hostile.page), await computed(neutral.page));
    const [a, b] = await Promise.all([neutral.widget.dialog.screenshot(), hostile.widget.dialog.screenshot()]);
    assert.ok(a.equals(b), 'the dialog renders pixel for pixel the same');
    await hostile.widget.submit.click();
    await hostile.widget.thanks.waitFor();
    assert.deepEqual(hostile.log.pageErrors, []);
    await neutral.page.close();
    await hostile.page.close();
  });

  it('does not change the host page: no style in the document, focus and layout left alone', async () => {
    const { page: p, widget } = await openPage(browser, page());
    const before = await p.evaluate(() => ({ sheets: document.styleSheets.length, styles: document.querySelectorAll('style').length, body: getComputedStyle(document.body).cssText || getComputedStyle(document.body).fontFamily }));
    await widget.open();
    const after = await p.evaluate(() => ({ sheets: document.styleSheets.length, styles: document.querySelectorAll('style').length, body: getComputedStyle(document.body).cssText || getComputedStyle(document.body).fontFamily }));
    assert.deepEqual(after, before);
    assert.equal(await p.evaluate(() => document.querySelector('survey-widget').shadowRoot.mode), 'open');
    await p.close();
  });

  it('works under a strict CSP with no policy violations', async () => {
    const { page: p, widget, log } = await openPage(browser, page('&csp=strict&accent=%23c2410c'));
    await widget.open();
    await widget.fillLowRating('strict');
    await widget.submit.click();
    await widget.thanks.waitFor();
    assert.deepEqual(await p.evaluate(() => window.__violations), []);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(log.console.filter((m) => m.type === 'error'), []);
    // The accent arrives as a custom property, set through the CSSOM (no style attribute).
    const bg = await p.locator('survey-widget [data-testid=submit]').evaluate((e) => getComputedStyle(e).backgroundColor);
    assert.equal(bg, 'rgb(194, 65, 12)');
    await p.close();
  });

  it('keeps button text readable on any accent colour', async () => {
    const textOn = async (accent) => {
      const { page: p, widget } = await openPage(browser, page(`&accent=${encodeURIComponent(accent)}`));
      await widget.open();
      const colours = await widget.submit.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
      await p.close();
      return colours;
    };
    assert.deepEqual(await textOn('gold'), ['rgb(17, 17, 17)', 'rgb(255, 215, 0)']);
    assert.deepEqual(await textOn('#0b3d91'), ['rgb(255, 255, 255)', 'rgb(11, 61, 145)']);
  });

  it('fails cleanly without \'wasm-unsafe-eval\': one console error, no exception, host works', async () => {
    const { page: p, widget, log } = await openPage(browser, page('&csp=nowasm'));
    await p.click('#pay');
    await p.waitForFunction(() => window.__events.some((e) => e.name === 'error'));
    const ours = log.console.filter((m) => m.type === 'error' && m.text.startsWith('[survey-widget]'));
    assert.equal(ours.length, 1, JSON.stringify(log.console));
    assert.deepEqual(log.pageErrors, []);
    assert.equal((await widget.events()).find((e) => e.name === 'error').detail.code, 'load');
    await p.click('#other');
    assert.equal(await p.textContent('#host-output'), 'host still works');
    await p.click('#pay'); // a second open does not log again
    await p.waitForTimeout(200);
    assert.equal(log.console.filter((m) => m.type === 'error' && m.text.startsWith('[survey-widget]')).length, 1);
    await p.close();
  });
});
