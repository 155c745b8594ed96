#!/usr/bin/env node
// Open-to-visible: milliseconds from the host page calling open(...) to the first rating radio
// being in the shadow root, enabled, with a non-zero label box; measured inside the page with
// performance.now() (see the probe in lib/host-server.mjs). For the Leptos widget and the
// vanilla baseline, at CPU 1x and 4x, in two cases:
//   preloaded  the widget's code has loaded on idle (Leptos: <survey-widget> exists), then open;
//   cold       the host's script calls open as soon as the widget's script has run, before the
//              page's load event (Leptos: so before the lazy load; it fetches glue + wasm then).
// A fresh page per sample, HTTP cache off. Prints median and p90 per case and the ratios.
// Needs BENCH_HOST (started by bench/run). BENCH_ITER (default 7) samples per case.
import fs from 'node:fs';
import path from 'node:path';
import { env, launch, newPage, percentile, sleep } from './lib/browser.mjs';

const HOST = env('BENCH_HOST');
const N = Number(process.env.BENCH_ITER ?? 7);
const RATES = [1, 4];
const MODES = ['preloaded', 'cold'];
const WIDGETS = { leptos: { tag: 'survey-widget', api: 'SurveyWidget' }, vanilla: { tag: 'vanilla-survey', api: 'VanillaSurvey' } };

async function sample(context, widget, mode, rate) {
  const w = WIDGETS[widget];
  const page = await newPage(context, rate);
  try {
    await page.goto(`${HOST}/host.html?widget=${widget}&mode=${mode}`, { waitUntil: mode === 'cold' ? 'commit' : 'load' });
    let r;
    if (mode === 'cold') {
      await page.waitForFunction(() => window.__benchResult, null, { timeout: 30000 });
      r = await page.evaluate(() => window.__benchResult);
    } else {
      // Loaded on idle: Leptos has booted when its host element exists; vanilla runs at once.
      await page.waitForFunction(({ tag, api }) => document.readyState === 'complete' && window[api] &&
        (api !== 'SurveyWidget' || document.querySelector(tag)), w, { timeout: 30000 });
      await sleep(500); // let boot's follow-up work finish so open runs on a quiet page
      r = await page.evaluate(({ tag, api }) => window.__benchOpen(tag, window[api]), w);
    }
    return r;
  } finally { await page.close(); }
}

const results = {};
const { context, close } = await launch();
try {
  await sample(context, 'leptos', 'preloaded', 1); // warm-up: Chromium's own first-run costs
  for (const rate of RATES) for (const mode of MODES) {
    for (const widget of Object.keys(WIDGETS)) results[`${widget}/${mode}/${rate}x`] = { widget, mode, rate, ms: [], flags: [] };
    for (let i = 0; i < N; i++) for (const widget of Object.keys(WIDGETS)) { // interleaved, so drift hits both
      const r = await sample(context, widget, mode, rate);
      const c = results[`${widget}/${mode}/${rate}x`];
      c.ms.push(r.ms);
      if (mode === 'cold' && (r.readyState === 'complete' || (widget === 'leptos' && r.hostExisted))) c.flags.push('opened after load');
      if (mode === 'preloaded' && widget === 'leptos' && !r.hostExisted) c.flags.push('not preloaded');
    }
  }
} finally { await close(); }

const f = (x) => x.toFixed(1).padStart(8);
console.log(`== open-to-visible (ms; ${N} samples per case, fresh page each, cache off) ==`);
console.log(`${'case'.padEnd(26)}${'median'.padStart(8)}${'p90'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}`);
for (const c of Object.values(results)) {
  c.median = percentile(c.ms, 50); c.p90 = percentile(c.ms, 90);
  const flags = [...new Set(c.flags)];
  console.log(`${`${c.widget} ${c.mode} ${c.rate}x`.padEnd(26)}${f(c.median)}${f(c.p90)}${f(Math.min(...c.ms))}${f(Math.max(...c.ms))}` +
    (flags.length ? `  WARNING: ${flags.join(', ')}` : ''));
}
// The verdict is the ratio of the medians. The paired ratios (sample i of Leptos over sample i
// of vanilla, taken back to back) show how much of it is this machine's drift: their median and
// spread are printed beside it.
console.log('ratio Leptos/vanilla (of the medians; paired: median and range of sample-by-sample ratios), budget at 4x <= 2.0x:');
for (const rate of RATES) for (const mode of MODES) {
  const l = results[`leptos/${mode}/${rate}x`], v = results[`vanilla/${mode}/${rate}x`];
  const ratio = l.median / v.median;
  const paired = l.ms.map((x, i) => x / v.ms[i]);
  l.paired = { median: percentile(paired, 50), min: Math.min(...paired), max: Math.max(...paired) };
  console.log(`  ${`${mode} ${rate}x`.padEnd(16)}${ratio.toFixed(1).padStart(7)}x` + (rate === 4 ? `  ${ratio <= 2 ? 'PASS' : 'OVER'}` : '    ') +
    `  paired ${l.paired.median.toFixed(1)}x (${l.paired.min.toFixed(1)}-${l.paired.max.toFixed(1)})`);
}
if (process.env.BENCH_OUT) fs.writeFileSync(path.join(process.env.BENCH_OUT, 'open.json'), JSON.stringify(results, null, 1));
