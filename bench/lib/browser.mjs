// Chromium for the benchmarks: Debian's /usr/bin/chromium through playwright-core, one
// persistent context per script, a fresh page per sample, HTTP cache off (every load is a first
// visit) and the CPU slowed down through CDP when asked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function env(name) {
  const v = process.env[name];
  if (!v) { console.error(`${name} is not set: run bench/run, which starts the servers`); process.exit(2); }
  return v.replace(/\/$/, '');
}

export async function launch() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-bench-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ARGS, viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    async close() { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A fresh page with the CPU slowed `rate` times and no HTTP cache. */
export async function newPage(context, rate) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`  console error: ${m.text()}`); });
  return page;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of numbers. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p / 100 * s.length) - 1))];
}
