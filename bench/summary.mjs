#!/usr/bin/env node
// Reads $BENCH_OUT/{size,open,longtasks}.json (written by the other bench scripts) and prints one
// table: each figure for the Leptos widget and the vanilla baseline, their ratio, the budget and
// PASS/OVER. A figure over budget is reported, never turned into a failure.
import fs from 'node:fs';
import path from 'node:path';

const out = process.env.BENCH_OUT;
const read = (name) => { try { return JSON.parse(fs.readFileSync(path.join(out, `${name}.json`), 'utf8')); } catch { return null; } };
const size = read('size'), open = read('open'), lt = read('longtasks');
const KB = 1024;
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const rows = [['figure', 'Leptos', 'vanilla', 'L/v', 'budget', 'verdict']];

if (size) {
  const loader = size.files['embed.js'].brotli;
  rows.push(['loader embed.js, brotli', `${loader} B`, '-', '-', '<= 1 KB', loader <= size.budget.loaderBrotli ? 'PASS' : `OVER by ${loader - size.budget.loaderBrotli} B`]);
  rows.push(['glue survey-widget.js, brotli', kb(size.files['survey-widget.js'].brotli), '-', '-', '', '']);
  rows.push(['wasm, brotli', kb(size.files['survey-widget_bg.wasm'].brotli), '-', '-', '', '']);
  const t = size.total.brotli, over = t - size.budget.totalBrotli;
  rows.push(['total download, brotli', kb(t), kb(size.vanilla.brotli), `${(t / size.vanilla.brotli).toFixed(1)}x`, '< 45 KB (aim 35)',
    over < 0 ? 'PASS' : `OVER by ${kb(over)}`]);
  rows.push(['total download, gzip -9', kb(size.total.gzip), kb(size.vanilla.gzip), `${(size.total.gzip / size.vanilla.gzip).toFixed(1)}x`, '', '']);
  rows.push(['total download, raw', kb(size.total.raw), kb(size.vanilla.raw), `${(size.total.raw / size.vanilla.raw).toFixed(1)}x`, '', '']);
}
if (open) {
  for (const rate of [1, 4]) for (const mode of ['preloaded', 'cold']) {
    const l = open[`leptos/${mode}/${rate}x`], v = open[`vanilla/${mode}/${rate}x`];
    if (!l || !v) continue;
    const ratio = l.median / v.median;
    rows.push([`open-to-visible ${mode} ${rate}x, median (p90)`, `${l.median.toFixed(1)} (${l.p90.toFixed(1)}) ms`,
      `${v.median.toFixed(1)} (${v.p90.toFixed(1)}) ms`, `${ratio.toFixed(1)}x` + (l.paired ? ` (paired ${l.paired.median.toFixed(1)}x)` : ''),
      rate === 4 ? '<= 2x vanilla' : '', rate === 4 ? (ratio <= 2 ? 'PASS' : `OVER by ${(ratio - 2).toFixed(1)}x`) : '']);
  }
}
if (lt) {
  for (const rate of [1, 4]) {
    const l = lt.results[`leptos/${rate}x`], v = lt.results[`vanilla/${rate}x`], n = lt.results[`none/${rate}x`];
    if (!l) continue;
    const mine = l.inWidgetWindow;
    rows.push([`long tasks before open ${rate}x, per page`, `${l.perPage.toFixed(1)} (${mine.toFixed(1)} its own)`, `${v.perPage.toFixed(1)}`, `no widget: ${n.perPage.toFixed(1)}`,
      '0', !lt.observerWorks ? 'UNKNOWN (observer check failed)' : mine <= 0 ? 'PASS' : `OVER by ${mine.toFixed(1)}/page (longest ${l.longest.toFixed(0)} ms)`]);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
console.log('== summary (compare ratios within one run: absolute times depend on this machine) ==');
for (const [i, r] of rows.entries()) {
  console.log(r.map((c, j) => (j === 0 ? String(c).padEnd(widths[j]) : String(c).padStart(widths[j]))).join('  '));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
}
