#!/usr/bin/env node
// The host side of the benchmarks: a customer's web page on one origin, and a "CDN" for the
// vanilla baseline on another, so both widgets load cross-origin as they would in production
// (the Leptos widget comes from the collector, a third origin).
//   node bench/lib/host-server.mjs --collector http://127.0.0.1:PORT
// prints one line: "host listening on http://127.0.0.1:H/ cdn http://127.0.0.1:C/"
// Pages: /host.html?widget=leptos|vanilla|none&mode=preloaded|cold|idle
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const collector = (arg('--collector') ?? '').replace(/\/$/, '');
if (!collector) { console.error('host-server: --collector URL is required'); process.exit(2); }
const vanillaJs = path.join(here, '..', 'vanilla', 'widget.js');

const WIDGETS = {
  leptos: { tag: 'survey-widget', api: 'SurveyWidget', src: () => `${collector}/embed.js` },
  vanilla: { tag: 'vanilla-survey', api: 'VanillaSurvey', src: (cdn) => `${cdn}/vanilla/widget.js` },
};

// Runs first in <head>: collects long tasks and long animation frames, and defines the
// open-to-visible probe used by bench/open.mjs.
const PROBE = `
window.__bench = { longtasks: [], loafs: [] };
try { new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) {
  __bench.longtasks.push({ start: e.startTime, duration: e.duration }); }); })
  .observe({ type: 'longtask', buffered: true }); } catch (e) {}
try { new PerformanceObserver(function (l) { l.getEntries().forEach(function (e) {
  __bench.loafs.push({ start: e.startTime, duration: e.duration, blocking: e.blockingDuration,
    scripts: e.scripts.map(function (s) { return { url: s.sourceURL, fn: s.sourceFunctionName, invoker: s.invoker, duration: s.duration }; }) }); }); })
  .observe({ type: 'long-animation-frame', buffered: true }); } catch (e) {}
// Calls api.open(...) and resolves with the milliseconds until the first rating radio in tag's
// shadow root exists, is enabled and its label has a non-zero box. Checked synchronously after
// open, on every DOM mutation (document and shadow root) and on every animation frame.
window.__benchOpen = function (tag, api) {
  return new Promise(function (resolve) {
    var t0, done = false, inner = null, outer;
    var before = { readyState: document.readyState, hostExisted: !!document.querySelector(tag) };
    function ready() {
      var h = document.querySelector(tag), r = h && h.shadowRoot && h.shadowRoot.querySelector('input[type=radio]');
      if (!r || r.disabled) return false;
      var b = (r.closest('label') || (r.labels && r.labels[0]) || r).getBoundingClientRect();
      return b.width > 0 && b.height > 0;
    }
    function check() {
      if (done) return;
      if (!inner) { var h = document.querySelector(tag); if (h && h.shadowRoot) { inner = new MutationObserver(check); inner.observe(h.shadowRoot, { subtree: true, childList: true, attributes: true }); } }
      if (ready()) {
        done = true;
        var ms = performance.now() - t0;
        outer.disconnect(); if (inner) inner.disconnect();
        resolve({ ms: ms, readyState: before.readyState, hostExisted: before.hostExisted });
      }
    }
    function frame() { if (!done) { check(); requestAnimationFrame(frame); } }
    outer = new MutationObserver(check);
    outer.observe(document.documentElement, { subtree: true, childList: true });
    t0 = performance.now();
    api.open({ transaction: { id: 'B' + Math.random().toString(36).slice(2, 10), type: 'bill_payment', unit: 'bench' } });
    check();
    requestAnimationFrame(frame);
  });
};`;

function page(widget, mode, cdn) {
  const w = WIDGETS[widget];
  const tag = w ? `<script id="w" src="${w.src(cdn)}" data-endpoint="${collector}/v1/responses" async></script>` : '';
  // "cold": the host's own script opens the survey as soon as the widget's script has run,
  // before the page's load event, so before the lazy load on idle.
  const cold = w && mode === 'cold' ? `<script>
(function () {
  function go() { window.__benchResult = __benchOpen('${w.tag}', window.${w.api}); }
  if (window.${w.api} && window.${w.api}.open) go(); else document.getElementById('w').addEventListener('load', go);
})();
</script>` : '';
  const rows = Array.from({ length: 12 }, (_, i) => `<tr><td>2026-${String(i % 12 + 1).padStart(2, '0')}</td><td>${200 + i * 7} kWh</td><td>¥ ${(120 + i * 3.1).toFixed(2)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>bench host · 网上营业厅</title>
<script>${PROBE}</script>
<style>body{font:15px/1.6 system-ui,sans-serif;margin:0;color:#222}header{background:#0a58ca;color:#fff;padding:12px 24px}
main{max-width:880px;margin:24px auto;padding:0 16px}table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:6px}</style>
${tag}
</head><body>
<header>示范供电公司 · 网上营业厅</header>
<main><h1>缴费成功</h1><p>交易号 3101-2026-0815-0001。感谢您的支持！</p>
<h2>近 12 个月用电</h2><table>${rows}</table></main>
${cold}
</body></html>`;
}

function serve(handler) {
  const server = http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const cdnServer = await serve((req, res) => {
  if (req.url.split('?')[0] === '/vanilla/widget.js') {
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'access-control-allow-origin': '*', 'cache-control': 'no-cache' });
    res.end(fs.readFileSync(vanillaJs));
  } else { res.writeHead(404); res.end(); }
});
const cdn = `http://127.0.0.1:${cdnServer.address().port}`;
const hostServer = await serve((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/host.html') {
    const widget = url.searchParams.get('widget') ?? 'none', mode = url.searchParams.get('mode') ?? 'idle';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page(widget, mode, cdn));
  } else if (url.pathname === '/favicon.ico') { res.writeHead(204); res.end(); } else { res.writeHead(404); res.end(); }
});
console.log(`host listening on http://127.0.0.1:${hostServer.address().port}/ cdn ${cdn}/`);
const stop = () => { hostServer.close(); cdnServer.close(); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
