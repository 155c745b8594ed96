// Customers: keyboard alone, zh-CN and en, a phone-sized viewport, and axe-core inside the
// shadow root at each step.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCollector, startHost } from './support/servers.mjs';
import { axe, launch, openPage } from './support/browser.mjs';

/** The accessible focus target: the element focused inside the widget's shadow root, if any. */
const focused = (p) => p.evaluate(() => {
  const host = document.activeElement;
  if (!host || host.tagName !== 'SURVEY-WIDGET') return host && (host.id || host.tagName);
  const el = host.shadowRoot.activeElement;
  return el && (el.dataset.testid || el.id || el.tagName);
});


describe('customers', () => {
  let collector, host, browser;
  before(async () => { [collector, host] = await Promise.all([startCollector(), startHost()]); browser = await launch(); });
  after(async () => { await browser.close(); collector.stop(); host.stop(); });
  const page = (query = '') => `${host.url}/page?widget=${collector.url}${query}`;

  it('can do everything by keyboard alone, and focus comes back to where it was', async () => {
    const { page: p, widget } = await openPage(browser, page());
    await p.waitForFunction(() => document.querySelector('survey-widget'));
    await p.keyboard.press('Tab'); // the host's pay button
    assert.equal(await focused(p), 'pay');
    await p.keyboard.press('Enter');
    await widget.dialog.waitFor();
    await p.waitForFunction(() => document.activeElement.tagName === 'SURVEY-WIDGET');
    assert.equal(await focused(p), 'rating-option', 'focus moves into the dialog');
    // APG rating radio group: the arrow keys move and select.
    await p.keyboard.press('ArrowRight');
    await p.keyboard.press('ArrowRight');
    assert.ok(await widget.options.nth(2).isChecked());
    await p.keyboard.press('ArrowLeft');
    assert.ok(await widget.options.nth(1).isChecked(), 'a 2: reasons appear');
    await p.keyboard.press('Tab'); // first reason
    await p.keyboard.press('Space');
    assert.ok(await widget.reasons.nth(0).isChecked());
    for (let i = 0; i < 7; i++) await p.keyboard.press('Tab'); // past the other six reasons
    assert.equal(await focused(p), 'comment');
    await p.keyboard.type('键盘提交');
    await p.keyboard.press('Tab');
    assert.equal(await focused(p), 'submit');
    await p.keyboard.press('Enter');
    await widget.thanks.waitFor();
    await p.waitForFunction(() => document.querySelector('survey-widget').shadowRoot.activeElement?.id === 'sw-thanks');
    await p.keyboard.press('Escape');
    await widget.dialog.waitFor({ state: 'detached' });
    assert.equal(await focused(p), 'pay', 'focus returns to the pay button');
    await p.close();
  });

  it('moves focus to what still needs an answer when submit is pressed too early', async () => {
    const { page: p, widget } = await openPage(browser, page());
    await widget.open();
    await widget.submit.click({ force: true }); // aria-disabled, but still pressable
    await p.waitForFunction(() => document.querySelector('survey-widget').shadowRoot.activeElement?.name === 'sw-satisfaction');
    assert.notEqual(await widget.live.textContent(), '', 'the problem is announced');
    await widget.rate(1);
    await widget.submit.click({ force: true });
    await p.waitForFunction(() => document.querySelector('survey-widget').shadowRoot.activeElement?.dataset.testid === 'reason-option');
    assert.equal(await widget.$('hint').isVisible(), true);
    await p.close();
  });

  it('speaks zh-CN by default and English from data-locale, <html lang> or open()', async () => {
    const title = async (query, open) => {
      const { page: p, widget } = await openPage(browser, page(query));
      if (open) {
        await p.waitForFunction(() => window.SurveyWidget);
        await p.evaluate((o) => window.SurveyWidget.open(o), open);
        await widget.dialog.waitFor();
      } else {
        await widget.open();
      }
      const out = {
        lang: await p.locator('survey-widget .sw').getAttribute('lang'),
        title: await p.locator('survey-widget .sw-title').textContent(),
        close: await widget.$('close').getAttribute('aria-label'),
      };
      await p.close();
      return out;
    };
    const zh = await title('');
    const en = await title('&locale=en');
    assert.equal(zh.lang, 'zh-CN');
    assert.equal(en.lang, 'en');
    assert.notEqual(zh.title, en.title);
    assert.notEqual(zh.close, en.close);
    assert.match(zh.title, /\p{Script=Han}/u);
    assert.doesNotMatch(en.title + en.close, /\p{Script=Han}/u);
    assert.deepEqual(await title('&lang=en-GB'), en, '<html lang> when data-locale is absent');
    assert.deepEqual(await title('&lang=en&locale=zh-CN'), zh, 'data-locale wins over <html lang>');
    const txn = { transaction: { id: 'L', type: 't', unit: 'u' }, locale: 'en' };
    assert.deepEqual(await title('', txn), en, 'open({ locale }) wins');
  });

  it('is a bottom sheet with 44 px targets on a 375 px phone', async () => {
    const phone = await launch({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const { page: p, widget } = await openPage(phone, page());
    await widget.open();
    await widget.fillLowRating('手机上填写');
    const box = await widget.dialog.boundingBox();
    assert.equal(Math.round(box.x), 0);
    assert.equal(Math.round(box.width), 375);
    assert.equal(Math.round(box.y + box.height), 667, 'anchored to the bottom');
    const small = await p.evaluate(() => {
      const root = document.querySelector('survey-widget').shadowRoot;
      return [...root.querySelectorAll('.sw-star, .sw-chip, .sw-close, .sw-submit, .sw-comment')]
        .map((e) => [e.className, e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 44 || r.height < 44)
        .map(([c, r]) => `${c} ${r.width}x${r.height}`);
    });
    assert.deepEqual(small, []);
    await p.screenshot({ path: 'target/e2e-phone.png' });
    await widget.submit.click();
    await widget.thanks.waitFor();
    await phone.close();
  });

  it('keeps the bottom sheet inside the visual viewport when it shrinks (the on-screen keyboard)', async () => {
    const phone = await launch({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const { page: p, widget } = await openPage(phone, page());
    await widget.open();
    const sheet = () => p.evaluate(() => {
      const mount = document.querySelector('survey-widget').shadowRoot.firstElementChild;
      return [mount.style.getPropertyValue('--sw-vv-height'), mount.style.getPropertyValue('--sw-vv-bottom')];
    });
    await p.waitForFunction(() => document.querySelector('survey-widget').shadowRoot.firstElementChild
      .style.getPropertyValue('--sw-vv-height') !== '');
    assert.deepEqual(await sheet(), ['667px', '0px'], 'the whole viewport when nothing covers it');
    // Zooming to 2x halves the visual viewport, as a keyboard covering the lower half does:
    // Chromium fires the visual viewport's resize and the sheet's limits follow it.
    const cdp = await phone.newCDPSession(p);
    await cdp.send('Emulation.setPageScaleFactor', { pageScaleFactor: 2 });
    await p.waitForFunction(() => document.querySelector('survey-widget').shadowRoot.firstElementChild
      .style.getPropertyValue('--sw-vv-height') === '334px');
    assert.deepEqual(await sheet(), ['334px', '334px'], 'height and bottom follow the visual viewport');
    const box = await widget.dialog.boundingBox();
    assert.ok(box.height <= 334, `the sheet fits above the covered part (height ${box.height})`);
    await phone.close();
  });

  it('has no axe-core violations when open, on the low-rating path, and at the thank-you', async () => {
    for (const query of ['', '&locale=en']) {
      const { page: p, widget } = await openPage(browser, page(query));
      await widget.open();
      assert.deepEqual(await axe(p), [], 'open');
      await widget.fillLowRating('无障碍');
      await widget.comment.fill('');
      assert.deepEqual(await axe(p), [], 'low rating with the reason hint');
      await widget.comment.fill('无障碍');
      await widget.submit.click();
      await widget.thanks.waitFor();
      assert.deepEqual(await axe(p), [], 'thank-you');
      await p.close();
    }
  });

  it('follows dark mode, reduced motion and forced colours, still without axe violations', async () => {
    const look = async (options) => {
      const b = await launch(options);
      const { page: p, widget } = await openPage(b, page());
      await widget.open();
      await widget.fillLowRating('外观');
      const out = await p.evaluate(() => {
        const root = document.querySelector('survey-widget').shadowRoot;
        const card = getComputedStyle(root.querySelector('.sw-card'));
        return { bg: card.backgroundColor, border: card.borderTopColor, animations: root.getAnimations().length };
      });
      out.violations = await axe(p);
      await b.close();
      return out;
    };
    const light = await look({ colorScheme: 'light' });
    const dark = await look({ colorScheme: 'dark', reducedMotion: 'reduce' });
    const forced = await look({ forcedColors: 'active' });
    assert.equal(light.bg, 'rgb(255, 255, 255)');
    assert.notEqual(dark.bg, light.bg, 'dark scheme');
    assert.equal(dark.animations, 0, 'no entrance animation with reduced motion');
    assert.notEqual(forced.border, 'rgba(0, 0, 0, 0)', 'the card keeps an edge in forced colours');
    for (const v of [light, dark, forced]) assert.deepEqual(v.violations, []);
  });
});
