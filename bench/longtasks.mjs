#!/usr/bin/env node
// Long tasks (> 50 ms) on the host page before any open: the page with the Leptos widget's
// embed.js, the same page with the vanilla baseline, and the page with no widget, each waited
// on for BENCH_IDLE_MS (default 3000) after its load event without opening; at CPU 1x and 4x.
// Long tasks come from a buffered PerformanceObserver registered first thing in <head>; long
// animation frames (LoAF) name the scripts involved, so a long task can be charged to the
// widget's origin or not. Budget: 0 long tasks caused by the widget before open.
// Needs BENCH_HOST and BENCH_COLLECTOR (started by bench/run). BENCH_LT_ITER (default 3) pages per case.
import fs from 'node:fs';
import path from 'node:path';
import { env, launch, newPage, sleep } from './lib/browser.mjs';

const HOST = env('BENCH_HOST');
const COLLECTOR = env('BENCH_COLLECTOR');
const N = Number(process.env.BENCH_LT_ITER ?? 3);
const IDLE = Number(process.env.BENCH_IDLE_MS ?? 3000);
const RATES = [1, 4];
const WIDGETS = ['none', 'leptos', 'vanilla'];

async function sample(context, widget, rate) {
  const page = await newPage(context, rate);
  try {
    await page.goto(`${HOST}/host.html?widget=${widget}&mode=idle`, { waitUntil: 'load' });
    await sleep(IDLE);
    return await page.evaluate(() => ({
      longtasks: window.__bench.longtasks,
      loafs: window.__bench.loafs,
      booted: !!document.querySelector('survey-widget'),
      // When the lazy load of the widget's glue began (Leptos only): tasks after it are in its window.
      widgetStart: (performance.getEntriesByType('resource').find((r) => /\/survey-widget(\.[0-9a-f]{10})?\.js$/.test(r.name)) ?? {}).startTime ?? null,
      load: performance.getEntriesByType('navigation')[0].loadEventEnd,
    }));
  } finally { await page.close(); }
}

const results = {};
const { context, close } = await launch();
try {
  for (const rate of RATES) {
    for (const widget of WIDGETS) results[`${widget}/${rate}x`] = { widget, rate, samples: [] };
    for (let i = 0; i < N; i++) for (const widget of WIDGETS) results[`${widget}/${rate}x`].samples.push(await sample(context, widget, rate));
  }
  // The observer itself: a page that blocks for 120 ms must show a long task, or zeros mean nothing.
  const page = await newPage(context, 1);
  await page.goto(`${HOST}/host.html?widget=none&mode=idle`, { waitUntil: 'load' });
  // From a timer: code run by page.evaluate is not a task of the page's event loop.
  await page.evaluate(() => setTimeout(() => { const end = performance.now() + 120; while (performance.now() < end); }));
  await sleep(500);
  results.observerWorks = (await page.evaluate(() => window.__bench.longtasks.length)) > 0;
  await page.close();
} finally { await close(); }
const observerWorks = results.observerWorks;
delete results.observerWorks;

const widgetOrigin = new URL(COLLECTOR).origin;
console.log(`== long tasks before open (${N} pages per case, ${IDLE} ms after load, no open) ==`);
console.log(`${'page'.padEnd(18)}${'tasks/page'.padStart(11)}${'longest ms'.padStart(11)}${'total ms'.padStart(10)}  widget's scripts in long frames; booted`);
for (const c of Object.values(results)) {
  const tasks = c.samples.flatMap((s) => s.longtasks);
  c.perPage = tasks.length / c.samples.length;
  c.longest = tasks.reduce((a, t) => Math.max(a, t.duration), 0);
  c.total = tasks.reduce((a, t) => a + t.duration, 0) / c.samples.length;
  // Long animation frames whose scripts came from the widget's origin: the widget's own share.
  const frames = c.samples.flatMap((s) => s.loafs);
  const mine = frames.flatMap((f) => f.scripts).filter((s) => s.url.startsWith(widgetOrigin) || /wasm|survey-widget/.test(s.url));
  c.widgetScriptMs = mine.reduce((a, s) => a + s.duration, 0) / c.samples.length;
  c.widgetScripts = [...new Set(mine.map((s) => `${s.url.replace(widgetOrigin, '')} ${s.invoker}`.trim()))];
  c.booted = c.samples.filter((s) => s.booted).length;
  c.inWidgetWindow = c.samples.flatMap((s) => (s.widgetStart == null ? [] : s.longtasks.filter((t) => t.start + t.duration > s.widgetStart))).length / c.samples.length;
  console.log(`${`${c.widget} ${c.rate}x`.padEnd(18)}${c.perPage.toFixed(1).padStart(11)}${c.longest.toFixed(0).padStart(11)}${c.total.toFixed(0).padStart(10)}  ` +
    `${c.widgetScriptMs.toFixed(0)} ms${c.widgetScripts.length ? ` (${c.widgetScripts.slice(0, 3).join('; ')})` : ''}` +
    (c.widget === 'leptos' ? `; ${c.booted}/${c.samples.length} booted; ${c.inWidgetWindow.toFixed(1)}/page after its lazy load began` : ''));
}
console.log(`observer check (a 120 ms busy loop is seen as a long task): ${observerWorks ? 'OK' : 'FAILED: the zeros above mean nothing'}`);
console.log('budget: 0 long tasks caused by the widget before open (tasks ending after its lazy load began; and page with widget minus page without):');
for (const rate of RATES) {
  const l = results[`leptos/${rate}x`], extra = l.perPage - results[`none/${rate}x`].perPage;
  console.log(`  leptos ${rate}x: ${l.inWidgetWindow.toFixed(1)} per page in its window, ${extra.toFixed(1)} extra per page  ${l.inWidgetWindow <= 0 ? 'PASS' : 'OVER'}`);
}
if (process.env.BENCH_OUT) fs.writeFileSync(path.join(process.env.BENCH_OUT, 'longtasks.json'), JSON.stringify({ observerWorks, results }, null, 1));
