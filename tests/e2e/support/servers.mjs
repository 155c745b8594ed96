// Real servers for the end-to-end tests, all on 127.0.0.1 with their own ports (so their own
// origins): the collector (which serves the widget files and stores responses), a host-page
// server standing in for a customer's website, and an endpoint that fails on purpose.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..', '..');

export const collectorBin = join(root, 'target/release/survey-collector');

/**
 * Starts target/release/survey-collector in demo mode on a free port with a fresh SQLite file.
 * `args` are more collector flags, such as `['--transaction-key', 'kid=secret']`.
 */
export async function startCollector({ args = [] } = {}) {
  const db = join(mkdtempSync(join(tmpdir(), 'survey-e2e-')), 'e2e.sqlite');
  const child = spawn(collectorBin,
    ['--listen', '127.0.0.1:0', '--static-dir', join(root, 'dist'), '--database', db, '--demo', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, RUST_LOG: 'warn' } });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) resolve(m[1].replace(/\/$/, ''));
    });
    child.on('exit', (code) => reject(new Error(`collector exited with ${code}`)));
  });
  return {
    url,
    db,
    async responses() {
      const res = await fetch(`${url}/demo/responses?limit=50`);
      return res.json();
    },
    stop() { child.kill('SIGTERM'); },
  };
}

const STRICT = (w) => `default-src 'none'; script-src 'self' ${w} 'wasm-unsafe-eval'; style-src 'self' ${w}; connect-src ${w}; img-src 'self' data:`;
const NO_WASM = (w) => `default-src 'none'; script-src 'self' ${w}; style-src 'self' ${w}; connect-src ${w}; img-src 'self' data:`;

/**
 * A host page as a web team would write it, with options in the query string:
 * widget (origin of embed.js), endpoint, locale, accent, lang (<html lang>), hostile=1,
 * retrybase (data-test-retry-base-ms), csp=strict|nowasm, load=async|defer|inject|sync, txn (transaction id; a fresh one per page by
 * default, because the collector takes one response per transaction), token (the transaction
 * token passed to open), omit=endpoint.
 */
export function hostPage(q) {
  const w = q.get('widget');
  const attrs = [`src="${w}/embed.js"`];
  if (q.get('omit') !== 'endpoint') attrs.push(`data-endpoint="${q.get('endpoint') ?? `${w}/v1/responses`}"`);
  if (q.get('locale')) attrs.push(`data-locale="${q.get('locale')}"`);
  if (q.get('accent')) attrs.push(`data-accent="${q.get('accent')}"`);
  if (q.get('survey')) attrs.push(`data-survey="${q.get('survey')}"`);
  const inline = q.get('inline')
    ? `<script type="application/json" id="survey-def">${q.get('inline').replaceAll('</', '<\\/')}</script>` : '';
  if (q.get('retrybase')) attrs.push(`data-test-retry-base-ms="${q.get('retrybase')}"`);
  const load = q.get('load') ?? 'async';
  const tag = load === 'inject' ? '' : `<script ${attrs.join(' ')}${load === 'sync' ? '' : ` ${load}`}></script>`;
  return `<!doctype html>
<html lang="${q.get('lang') ?? 'zh-CN'}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Host</title><link rel="icon" href="data:,">
<link rel="stylesheet" href="/host.css">
${q.get('hostile') ? '<link rel="stylesheet" href="/hostile.css">' : ''}
<script src="/host.js"></script>
${tag}
</head>
<body data-txn="${q.get('txn') ?? `E2E-${randomUUID()}`}" data-token="${q.get('token') ?? ''}" data-inject='${load === 'inject' ? JSON.stringify(attrs) : ''}'>
<h1>网上营业厅</h1>
<p id="bill">电费 ¥162.38</p>
<button type="button" id="pay" data-testid="pay">缴费</button>
<button type="button" id="other" data-testid="other">Other host button</button>
<p id="host-output"></p>
<input id="host-input" aria-label="host input">
${q.get('slot') ? '<div id="survey-slot"></div>' : ''}
${inline}
</body></html>`;
}

const HOST_JS = `
window.__events = []; window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });
['shown', 'submitted', 'dismissed', 'error', 'skipped'].forEach(function (n) {
  document.addEventListener('survey-widget:' + n, function (e) { window.__events.push({ name: n, detail: e.detail }); });
});
document.addEventListener('DOMContentLoaded', function () {
  var inject = document.body.dataset.inject;
  if (inject) { // a tag manager adds the script after the page has loaded
    window.addEventListener('load', function () {
      var s = document.createElement('script');
      JSON.parse(inject).forEach(function (a) { var m = a.match(/^([^=]+)="(.*)"$/); s.setAttribute(m[1], m[2]); });
      document.body.appendChild(s);
    });
  }
  document.getElementById('pay').addEventListener('click', function () {
    var t = { id: document.body.dataset.txn, type: 'bill_payment', unit: 'east-district-hall' };
    if (document.body.dataset.token) t.token = document.body.dataset.token;
    window.SurveyWidget.open({ transaction: t });
  });
  document.getElementById('other').addEventListener('click', function () {
    document.getElementById('host-output').textContent = 'host still works';
  });
});`;

const HOST_CSS = `body { font-family: serif; margin: 20px; } #pay { padding: 8px 16px; }`;
// The issue's hostile rules, and a few more of the kind real sites ship.
const HOSTILE_CSS = `
* { font-size: 20px !important; color: red !important; box-sizing: content-box; line-height: 3 !important; letter-spacing: 2px !important; }
button { background: red; border: 5px dashed blue; padding: 30px; }
input, textarea { width: 10px; height: 10px; }
div, section, p, h2, label, fieldset { margin: 40px !important; padding: 20px; display: inline; }
[role=dialog] { display: none !important; }
survey-widget { display: none; }
`;

/** The host-page server: another origin than the widget's. */
export async function startHost() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const send = (type, body, headers = {}) => { res.writeHead(200, { 'Content-Type': type, ...headers }); res.end(body); };
    if (url.pathname === '/host.js') return send('text/javascript', HOST_JS);
    if (url.pathname === '/host.css') return send('text/css', HOST_CSS);
    if (url.pathname === '/hostile.css') return send('text/css', HOSTILE_CSS);
    if (url.pathname.startsWith('/page')) {
      const w = url.searchParams.get('widget');
      const csp = url.searchParams.get('csp');
      const headers = csp === 'strict' ? { 'Content-Security-Policy': STRICT(w) }
        : csp === 'nowasm' ? { 'Content-Security-Policy': NO_WASM(w) } : {};
      return send('text/html; charset=utf-8', hostPage(url.searchParams), headers);
    }
    res.writeHead(404); res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() };
}

/**
 * An endpoint that fails on purpose: answers the first `failures` POSTs with `status` (or, for
 * status 0, never answers), then 201. Records every request it got.
 */
export async function startFaultyEndpoint({ failures = 1, status = 503 } = {}) {
  const requests = [];
  const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type, idempotency-key', 'Access-Control-Allow-Methods': 'POST' };
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') { res.writeHead(204, cors); return res.end(); }
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      requests.push({ headers: req.headers, body: JSON.parse(body) });
      if (requests.length <= failures) {
        if (status === 0) return; // hang: the widget's 10 s timeout must fire
        res.writeHead(status, { ...cors, 'Content-Type': 'application/json' });
        return res.end('{"error":"unavailable","message":"failing on purpose","fields":[]}');
      }
      res.writeHead(201, { ...cors, 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ response_id: requests.at(-1).body.response_id }));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1/responses`,
    requests,
    stop: () => { server.closeAllConnections(); server.close(); },
  };
}

export const readAxe = () => readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
