#!/usr/bin/env node
// The cold open's floor (run by bench/floor/measure, which passes the directory holding the
// floor's glue and wasm). One page on a local server, three cases, interleaved, a fresh page per
// sample with the HTTP cache off and the CPU slowed as in bench/open.mjs:
//   vanilla  bench/vanilla/widget.js, loaded with the page: open(...) until its first rating
//            label has a box. This is what bench/open.mjs compares the widget's cold open with.
//   floor    fetch, compile and instantiate the floor's wasm, then boot it: read and check the
//            built-in survey and render one reactive text. No survey is shown: it is what any
//            widget with the required parts pays before it can render anything.
//   widget   the same for dist/'s widget, then open(...) until its first rating label has a box
//            (no loader, no display rules: `force`).
// The budget is widget cold <= 2 x vanilla: so floor + (the widget's own render, which is at
// best vanilla's) must fit in 2 x vanilla.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { launch, newPage, percentile } from '../lib/browser.mjs';

const floorDir = process.argv[2];
const N = Number(process.env.BENCH_ITER ?? 9);
const dist = 'dist';
const one = (re) => {
  const found = fs.readdirSync(dist).filter((f) => re.test(f));
  if (found.length !== 1) { console.error(`cold: expected one ${re} in dist/, found ${found.length}: run scripts/build`); process.exit(2); }
  return found[0];
};
const files = {
  '/floor.js': path.join(floorDir, 'floor.js'),
  '/floor_bg.wasm': path.join(floorDir, 'floor_bg.wasm'),
  '/widget.js': path.join(dist, one(/^survey-widget\.[0-9a-f]{10}\.js$/)),
  '/widget_bg.wasm': path.join(dist, one(/^survey-widget_bg\.[0-9a-f]{10}\.wasm$/)),
  '/vanilla.js': 'bench/vanilla/widget.js',
};
const SURVEY = JSON.stringify(fs.readFileSync('model/surveys/default.json', 'utf8'));
const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>floor</title></head>
<body><main>host page</main><script src="/vanilla.js" data-endpoint="/v1/responses"></script>
<script type="module">
const TX = { transaction: { id: 'x1', type: 'bill_payment', unit: 'u' }, force: true };
async function visible(tag) {
  const find = () => document.querySelector(tag)?.shadowRoot?.querySelector('input[type=radio]');
  let input = find();
  for (let i = 0; !input && i < 2000; i++) { await new Promise((r) => (i < 20 ? queueMicrotask(r) : setTimeout(r))); input = find(); }
  (input.closest('label') || input.labels[0]).getBoundingClientRect();
}
async function boot(glue, wasm, data) {
  const m = await import(glue);
  await m.default({ module_or_path: fetch(wasm) });
  await new Promise((r) => setTimeout(r)); // as embed.js: boot in a task of its own
  if (!m.boot(data)) throw new Error(glue + ' did not boot');
  return m;
}
window.go = async (which) => {
  const t0 = performance.now();
  if (which === 'vanilla') {
    VanillaSurvey.open(TX);
    await visible('vanilla-survey');
  } else if (which === 'floor') {
    await boot('/floor.js', '/floor_bg.wasm', { survey: ${SURVEY}, endpoint: '/v1/responses' });
    document.body.lastElementChild.getBoundingClientRect();
  } else {
    const m = await boot('/widget.js', '/widget_bg.wasm', { endpoint: location.origin + '/v1/responses' });
    m.open(TX);
    await visible('survey-widget');
  }
  return performance.now() - t0;
};
window.ready = true;
</script></body></html>`;

const server = http.createServer((req, res) => {
  const file = files[req.url];
  if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(PAGE); return; }
  if (!file) { res.writeHead(req.url === '/favicon.ico' ? 204 : 404); res.end(); return; }
  const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
  res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const CASES = ['vanilla', 'floor', 'widget'];
const { context, close } = await launch();
try {
  console.log(`cold floor at CPU 1x and 4x (ms, median of ${N}; fresh page each, cache off):`);
  for (const rate of [1, 4]) {
    const ms = Object.fromEntries(CASES.map((c) => [c, []]));
    for (let i = 0; i <= N; i++) for (const c of CASES) { // the first round warms Chromium up
      const page = await newPage(context, rate);
      try {
        await page.goto(url, { waitUntil: 'load' });
        await page.waitForFunction(() => window.ready);
        await page.waitForTimeout(300);
        const t = await page.evaluate((c) => window.go(c), c);
        if (i) ms[c].push(t);
      } finally { await page.close(); }
    }
    const m = Object.fromEntries(CASES.map((c) => [c, percentile(ms[c], 50)]));
    const f = (x) => `${x.toFixed(1)} ms`;
    console.log(`  ${rate}x  vanilla open ${f(m.vanilla)}   floor load + boot ${f(m.floor)} (${(m.floor / m.vanilla).toFixed(1)}x vanilla)   ` +
      `widget load + boot + open ${f(m.widget)} (${(m.widget / m.vanilla).toFixed(1)}x)`);
    console.log(`      floor + vanilla's open = ${((m.floor + m.vanilla) / m.vanilla).toFixed(1)}x vanilla: the least any widget with the required parts can take (budget at 4x: <= 2x)`);
  }
} finally {
  await close();
  server.close();
}
