#!/usr/bin/env node
// Bytes a host page downloads for the widget: raw, gzip -9 and brotli (quality 11) of embed.js,
// survey-widget.js and survey-widget_bg.wasm, next to the vanilla baseline; then where the wasm's
// bytes go (sections, crates, largest functions, data). Prints figures and PASS/OVER against the
// budgets; never fails on a budget. Writes $BENCH_OUT/size.json when BENCH_OUT is set.
//   node bench/size.mjs            (from the repository root; needs dist/)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as wasm from './lib/wasm.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const KB = 1024;
const BUDGET = { loaderBrotli: 1 * KB, totalBrotli: 45 * KB, totalAim: 35 * KB };

const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b) => zlib.brotliCompressSync(b, {
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length,
  },
}).length;
const measure = (buf) => ({ raw: buf.length, gzip: gzip(buf), brotli: brotli(buf) });
const pad = (s, n) => String(s).padStart(n);
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const verdict = (ok) => (ok ? 'PASS' : 'OVER');

const files = [
  ['embed.js', 'loader, in the host page'],
  ['survey-widget.js', 'wasm-bindgen glue, lazy'],
  ['survey-widget_bg.wasm', 'the widget, lazy'],
];
// The release build names the glue and the wasm after their content (scripts/slim.mjs):
// survey-widget.<hash>.js, survey-widget_bg.<hash>.wasm. The table keeps the plain names.
const inDist = (name) => {
  const [stem, ext] = [name.slice(0, name.lastIndexOf('.')), name.slice(name.lastIndexOf('.'))];
  const re = new RegExp(`^${stem}(\\.[0-9a-f]{10})?\\${ext}$`);
  const found = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => re.test(f)) : [];
  if (found.length !== 1) { console.error(`size: expected one ${stem}[.<hash>]${ext} in ${dist}, found ${found.length}: run scripts/build`); process.exit(2); }
  return path.join(dist, found[0]);
};
const sizes = {};
for (const [name] of files) sizes[name] = measure(fs.readFileSync(inDist(name)));
const total = ['raw', 'gzip', 'brotli'].reduce((t, k) => ({ ...t, [k]: Object.values(sizes).reduce((a, s) => a + s[k], 0) }), {});
const vanilla = measure(fs.readFileSync(path.join(root, 'bench/vanilla/widget.js')));

console.log('== size: what a host page downloads (dist/) ==');
console.log(`${'file'.padEnd(40)}${pad('raw', 9)}${pad('gzip -9', 9)}${pad('brotli', 9)}`);
const row = (label, s) => console.log(`${label.padEnd(40)}${pad(s.raw, 9)}${pad(s.gzip, 9)}${pad(s.brotli, 9)}`);
for (const [name, what] of files) row(`${name} (${what})`, sizes[name]);
row('total', total);
row('vanilla baseline (bench/vanilla/widget.js)', vanilla);
const loader = sizes['embed.js'];
console.log('budgets (1 KB = 1024 B):');
console.log(`  loader  <= 1 KB brotli : ${loader.brotli} B  ${verdict(loader.brotli <= BUDGET.loaderBrotli)}`);
const over = total.brotli - BUDGET.totalBrotli;
console.log(`  total   < 45 KB brotli : ${kb(total.brotli)}  ${verdict(over < 0)}` +
  (over >= 0 ? ` by ${kb(over)} (${(total.brotli / BUDGET.totalBrotli).toFixed(1)}x the budget; aim 35 KB)` : ''));
console.log(`  ratio Leptos/vanilla, total brotli: ${(total.brotli / vanilla.brotli).toFixed(1)}x`);

// ---- where the wasm bytes go ------------------------------------------------------------
const wasmPath = inDist('survey-widget_bg.wasm');
const shipped = fs.readFileSync(wasmPath);
const secs = wasm.sections(shipped);
console.log('\n== where the wasm bytes go ==');
console.log('sections of dist/survey-widget_bg.wasm (brotli = the section compressed alone):');
for (const s of [...secs].sort((a, b) => b.size - a.size)) {
  const label = s.kind + (s.name ? ` "${s.name}"` : '');
  console.log(`  ${label.padEnd(34)}${pad(s.size, 8)} B ${pad((100 * s.size / shipped.length).toFixed(1), 5)} %  brotli ${pad(brotli(shipped.subarray(s.start, s.end)), 6)}`);
}
const importsSection = secs.find((s) => s.id === 2);
const breakdown = { sections: secs.map(({ kind, name, size }) => ({ kind, name, size })) };

let named = null, namedNote;
if (wasm.functionNames(shipped, secs)) {
  named = shipped;
  namedNote = 'dist wasm has its own name section';
} else {
  // wasm-opt -Oz drops the name section. Re-run the very same optimisation (binaryen from
  // node_modules, as Trunk.toml pins it) on wasm-bindgen's output with --debuginfo, which keeps
  // names, and check that the code is the same size as what ships.
  const pre = path.join(root, 'target/wasm-bindgen/release/survey-widget_bg.wasm');
  const opt = path.join(root, 'node_modules/.bin/wasm-opt');
  if (fs.existsSync(pre) && fs.existsSync(opt)) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-size-')), 'named.wasm');
    execFileSync(opt, ['-Oz', '--debuginfo', pre, '-o', out], { stdio: 'inherit' });
    named = fs.readFileSync(out);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
    namedNote = 'dist wasm has NO name section (wasm-opt -Oz strips it); names come from a copy built with\n' +
      '  `wasm-opt -Oz --debuginfo target/wasm-bindgen/release/survey-widget_bg.wasm`';
  } else {
    namedNote = 'dist wasm has NO name section and target/wasm-bindgen/release/survey-widget_bg.wasm or ' +
      'node_modules/.bin/wasm-opt is missing: no per-function breakdown';
  }
}
console.log(`names: ${namedNote}`);
if (named) {
  const nsecs = wasm.sections(named);
  const bodies = wasm.functionBodies(named, nsecs);
  const names = wasm.functionNames(named, nsecs);
  const shippedBodies = wasm.functionBodies(shipped, secs);
  const codeOf = (ss) => ss.find((s) => s.id === 10)?.size ?? 0;
  const same = codeOf(nsecs) === codeOf(secs) && bodies.length === shippedBodies.length;
  console.log(`  named copy: ${bodies.length} functions, code ${codeOf(nsecs)} B; shipped: ${shippedBodies.length} functions, code ${codeOf(secs)} B -> ` +
    (same ? 'same code, the breakdown is exact' : 'DIFFERENT (dist/ and target/ are from different builds): the breakdown is approximate'));
  const codeTotal = bodies.reduce((a, f) => a + f.size, 0);
  const codeBrotli = brotli(shipped.subarray(secs.find((s) => s.id === 10).start, secs.find((s) => s.id === 10).end));
  const fns = bodies.map((f) => {
    const name = wasm.tidy(wasm.demangle(names.get(f.index) ?? '?'));
    const crate = wasm.crateOf(name);
    return { name, size: f.size, crate, kind: wasm.kindOf(name, crate), body: named.subarray(f.start, f.end) };
  });
  const group = (key) => {
    const m = new Map();
    for (const f of fns) {
      const g = m.get(f[key]) ?? { name: f[key], count: 0, size: 0, parts: [] };
      g.count++; g.size += f.size; g.parts.push(f.body); m.set(f[key], g);
    }
    const gs = [...m.values()];
    for (const g of gs) g.brotliAlone = brotli(Buffer.concat(g.parts));
    const sumAlone = gs.reduce((a, g) => a + g.brotliAlone, 0);
    for (const g of gs) { g.brotliShare = Math.round(codeBrotli * g.brotliAlone / sumAlone); delete g.parts; }
    return gs.sort((a, b) => b.size - a.size);
  };
  const printGroups = (title, gs, limit) => {
    console.log(title);
    console.log(`  ${'name'.padEnd(48)}${pad('fns', 5)}${pad('code B', 9)}${pad('%', 7)}${pad('~brotli B', 11)}`);
    const shown = gs.slice(0, limit), rest = gs.slice(limit);
    for (const g of shown) console.log(`  ${g.name.padEnd(48)}${pad(g.count, 5)}${pad(g.size, 9)}${pad((100 * g.size / codeTotal).toFixed(1), 7)}${pad(g.brotliShare, 11)}`);
    if (rest.length) {
      const r = rest.reduce((a, g) => ({ count: a.count + g.count, size: a.size + g.size, b: a.b + g.brotliShare }), { count: 0, size: 0, b: 0 });
      console.log(`  ${`(${rest.length} more)`.padEnd(48)}${pad(r.count, 5)}${pad(r.size, 9)}${pad((100 * r.size / codeTotal).toFixed(1), 7)}${pad(r.b, 11)}`);
    }
  };
  const byCrate = group('crate'), byKind = group('kind');
  console.log(`code: ${codeTotal} B raw, ${codeBrotli} B brotli. ~brotli = the code's brotli size split in proportion to each group compressed alone.`);
  printGroups('by crate (drop glue charged to the dropped type\'s crate, <T as Trait> to the first non-std crate):', byCrate, 18);
  printGroups('by kind of code:', byKind, 10);
  console.log('largest functions:');
  const top = [...fns].sort((a, b) => b.size - a.size).slice(0, 20);
  for (const f of top) console.log(`  ${pad(f.size, 6)} B  ${f.crate.padEnd(16)} ${f.name.length > 110 ? f.name.slice(0, 107) + '...' : f.name}`);
  breakdown.byCrate = byCrate; breakdown.byKind = byKind;
  breakdown.top = top.map(({ name, size, crate }) => ({ name, size, crate }));
  breakdown.namedCopyMatches = same;
}
// The data section: what is stored rather than computed.
const data = secs.find((s) => s.id === 11);
if (data) {
  const bytes = shipped.subarray(data.start, data.end);
  const cssPath = path.join(root, 'style/widget.css');
  const css = fs.existsSync(cssPath) ? fs.readFileSync(cssPath) : null;
  const cssIn = css && shipped.indexOf(css) >= 0;
  // Runs of printable UTF-8 text of 16 bytes or more: strings, CSS, panic messages.
  const text = bytes.toString('latin1').match(/[\x20-\x7e\x80-\xff\n]{16,}/g) ?? [];
  const textBytes = text.reduce((a, t) => a + t.length, 0);
  console.log(`data: ${data.end - data.start} B; ~${textBytes} B of it is text runs >= 16 B` +
    (cssIn ? `, including style/widget.css verbatim (${css.length} B raw, ${brotli(css)} B brotli alone)` : ''));
  breakdown.data = { bytes: data.end - data.start, textBytes, css: cssIn ? css.length : 0 };
}
if (importsSection) {
  const n = (wasm.functionBodies(shipped, secs)[0]?.index) ?? 0;
  console.log(`imports: ${n} JS functions imported from the glue (import section ${importsSection.size} B); the glue defines each one`);
  breakdown.importedFunctions = n;
}

const result = { files: sizes, total, vanilla, budget: BUDGET, breakdown };
if (process.env.BENCH_OUT) fs.writeFileSync(path.join(process.env.BENCH_OUT, 'size.json'), JSON.stringify(result, null, 1));
