// Debian's Chromium driven by playwright-core, and a page object for the widget.
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAxe } from './servers.mjs';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A fresh browser profile; `options` go to launchPersistentContext (viewport, locale, ...). */
export async function launch(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'survey-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args: ARGS, viewport: { width: 1280, height: 800 }, ...options,
  });
  return context;
}

/** Opens `url` in a new page that records console messages and uncaught exceptions. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const log = { console: [], pageErrors: [] };
  page.on('console', (m) => log.console.push({ type: m.type(), text: m.text() }));
  page.on('pageerror', (e) => log.pageErrors.push(e.message));
  await page.goto(url);
  return { page, log, widget: new Widget(page) };
}

/** The widget as a customer sees it. Playwright's CSS engine pierces the open shadow root. */
export class Widget {
  constructor(page) { this.page = page; }
  $(testid) { return this.page.locator(`survey-widget [data-testid=${testid}]`); }
  get dialog() { return this.page.locator('survey-widget [role=dialog]'); }
  get options() { return this.$('rating-option'); }
  get reasons() { return this.$('reason-option'); }
  get comment() { return this.$('comment'); }
  get submit() { return this.$('submit'); }
  get thanks() { return this.$('thanks'); }
  get live() { return this.$('live'); }
  async open() { await this.page.click('#pay'); await this.settled(); }
  /** Waits for the dialog and its entrance animation (a half-faded card fails contrast checks). */
  async settled() {
    await this.dialog.waitFor();
    await this.page.waitForFunction(() => document.querySelector('survey-widget').shadowRoot
      .getAnimations().every((a) => a.playState === 'finished'));
  }
  async rate(score) { await this.options.nth(score - 1).check(); }
  events() { return this.page.evaluate(() => window.__events); }
  /** The payload fields the widget is told, then a full low-rating response. */
  async fillLowRating(comment) {
    await this.rate(2);
    await this.reasons.nth(0).check();
    await this.comment.fill(comment);
  }
}

/** axe-core's violations inside the widget's shadow root, as "rule: targets" lines. */
export async function axe(p) {
  await p.evaluate(readAxe());
  return p.evaluate(async () => {
    const result = await window.axe.run({ include: [{ fromShadowDom: ['survey-widget', '.sw'] }] }, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
