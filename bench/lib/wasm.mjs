// A small WebAssembly reader for bench/size.mjs: sections, function bodies and the "name"
// section, plus a demangler for Rust's legacy symbols, so that the wasm's bytes can be
// attributed to crates without installing twiggy.

const SECTION_NAMES = [
  'custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start',
  'element', 'code', 'data', 'datacount', 'tag',
];

class Reader {
  constructor(buf, pos = 0) { this.buf = buf; this.pos = pos; }
  byte() { return this.buf[this.pos++]; }
  u32() {
    let result = 0, shift = 0, b;
    do { b = this.byte(); result += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    return result;
  }
  name() { const n = this.u32(); const s = this.buf.toString('utf8', this.pos, this.pos + n); this.pos += n; return s; }
}

/** Every section: { id, kind, name (custom sections), start, end, size }. */
export function sections(buf) {
  if (buf.readUInt32LE(0) !== 0x6d736100) throw new Error('not a wasm module');
  const r = new Reader(buf, 8), out = [];
  while (r.pos < buf.length) {
    const headerStart = r.pos;
    const id = r.byte(), size = r.u32(), start = r.pos, end = start + size;
    let name = '';
    if (id === 0) name = new Reader(buf, start).name();
    out.push({ id, kind: SECTION_NAMES[id] ?? `unknown(${id})`, name, start, end, size: end - headerStart });
    r.pos = end;
  }
  return out;
}

function importedFunctionCount(buf, secs) {
  const s = secs.find((x) => x.id === 2);
  if (!s) return 0;
  const r = new Reader(buf, s.start);
  let funcs = 0;
  for (let i = r.u32(); i > 0; i--) {
    r.name(); r.name();
    const kind = r.byte();
    if (kind === 0) { r.u32(); funcs++; } // function: type index
    else if (kind === 1) { r.byte(); limits(r); } // table: reftype + limits
    else if (kind === 2) limits(r); // memory
    else if (kind === 3) { r.byte(); r.byte(); } // global: valtype + mutability
    else if (kind === 4) { r.byte(); r.u32(); } // tag
    else throw new Error(`unknown import kind ${kind}`);
  }
  return funcs;
}
function limits(r) { const flags = r.byte(); r.u32(); if (flags & 1) r.u32(); }

/** Function bodies in the code section: [{ index, start, end, size }] (size includes its length prefix). */
export function functionBodies(buf, secs = sections(buf)) {
  const code = secs.find((x) => x.id === 10);
  if (!code) return [];
  const base = importedFunctionCount(buf, secs);
  const r = new Reader(buf, code.start), out = [];
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const at = r.pos, len = r.u32();
    out.push({ index: base + i, start: r.pos, end: r.pos + len, size: r.pos + len - at });
    r.pos += len;
  }
  return out;
}

/** Function names from the "name" custom section (subsection 1), or null if it was stripped. */
export function functionNames(buf, secs = sections(buf)) {
  const s = secs.find((x) => x.id === 0 && x.name === 'name');
  if (!s) return null;
  const r = new Reader(buf, s.start);
  r.name();
  const names = new Map();
  while (r.pos < s.end) {
    const sub = r.byte(), len = r.u32(), end = r.pos + len;
    if (sub === 1) for (let i = r.u32(); i > 0; i--) { const idx = r.u32(); names.set(idx, r.name()); }
    r.pos = end;
  }
  return names;
}

/** Total payload bytes of the data segments. */
export function dataBytes(buf, secs = sections(buf)) {
  const s = secs.find((x) => x.id === 11);
  return s ? s.end - s.start : 0;
}

const ESCAPES = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
};
/** Demangles a Rust symbol: legacy (`_ZN...E`) or, roughly, v0 (`_R...`); anything else (the
 * name section usually holds names already demangled) is returned as is. */
export function demangle(sym) {
  if (sym.startsWith('_R')) { try { return demangleV0(sym); } catch { return sym; } }
  if (!sym.startsWith('_ZN') || !sym.endsWith('E')) return sym;
  const parts = [];
  let i = 3;
  while (i < sym.length - 1) {
    let j = i;
    while (sym[j] >= '0' && sym[j] <= '9') j++;
    if (j === i) break;
    const n = Number(sym.slice(i, j));
    parts.push(sym.slice(j, j + n));
    i = j + n;
  }
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts.at(-1))) parts.pop();
  return parts.map((p) => (p.startsWith('_$') ? p.slice(1) : p)
    .replace(/\$([A-Z]+|u[0-9a-f]+)\$/g, (m, e) => ESCAPES[e] ?? (e[0] === 'u' ? String.fromCodePoint(parseInt(e.slice(1), 16)) : m))
    .replace(/\.\./g, '::')).join('::');
}

// A best-effort v0 demangler (std is built with v0 symbols): paths, generics and common types.
function demangleV0(sym) {
  let i = 2;
  const s = sym, peek = () => s[i], eat = (c) => (s[i] === c ? (i++, true) : false);
  const b62 = () => { if (eat('_')) return 0; let n = 0; while (s[i] !== '_') { const c = s[i++]; n = n * 62 + (c <= '9' ? c.charCodeAt(0) - 48 : c <= 'Z' ? c.charCodeAt(0) - 29 : c.charCodeAt(0) - 87); if (i > s.length) throw 0; } i++; return n + 1; };
  const disamb = () => { if (s[i] === 's') { i++; b62(); } };
  const ident = () => { disamb(); eat('u'); let j = i; while (s[j] >= '0' && s[j] <= '9') j++; if (j === i) throw 0; const n = Number(s.slice(i, j)); i = j; eat('_'); const id = s.slice(i, i + n); i += n; return id; };
  const BASIC = { a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize', l: 'i32', m: 'u32', n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64', y: 'u64', z: '!', p: '_' };
  // A back-reference is an offset counted from just after `_R`.
  const back = (f) => { const at = i - 1, to = 2 + b62(); const save = i; i = to; const r = f(); i = save; if (to >= at) throw 0; return r; };
  function path() {
    const c = s[i++];
    if (c === 'C') { disamb(); return ident(); }
    if (c === 'N') { i++; const p = path(); const id = ident(); return id ? `${p}::${id}` : `${p}::{closure}`; }
    if (c === 'M') { disamb(); const p = path(); return `${p}::<impl ${type()}>`; }
    if (c === 'X') { disamb(); path(); const t = type(); return `<${t} as ${path()}>`; }
    if (c === 'Y') { const t = type(); return `<${t} as ${path()}>`; }
    if (c === 'I') { const p = path(); const args = []; while (!eat('E')) args.push(arg()); return `${p}<${args.join(', ')}>`; }
    if (c === 'B') return back(path);
    throw 0;
  }
  function arg() { if (eat('L')) { b62(); return "'_"; } if (eat('K')) { if (eat('p')) return '_'; type(); while (s[i] !== '_') i++; i++; return 'N'; } return type(); }
  function type() {
    const c = s[i];
    if (BASIC[c]) { i++; return BASIC[c]; }
    i++;
    if (c === 'R' || c === 'Q') { if (eat('L')) b62(); return (c === 'R' ? '&' : '&mut ') + type(); }
    if (c === 'P' || c === 'O') return (c === 'P' ? '*const ' : '*mut ') + type();
    if (c === 'A') { const t = type(); arg(); return `[${t}; N]`; }
    if (c === 'S') return `[${type()}]`;
    if (c === 'T') { const ts = []; while (!eat('E')) ts.push(type()); return `(${ts.join(', ')})`; }
    if (c === 'B') return back(type);
    if (c === 'D') { if (eat('G')) b62(); const ps = []; while (!eat('E')) { ps.push(path()); while (eat('p')) { ident(); type(); } } if (eat('L')) b62(); return `dyn ${ps.join(' + ')}`; }
    if (c === 'F') { if (eat('G')) b62(); eat('U'); if (eat('K')) { if (!eat('C')) ident(); } const ps = []; while (!eat('E')) ps.push(type()); return `fn(${ps.join(', ')}) -> ${type()}`; }
    i--; return path();
  }
  return path();
}

const STD = new Set(['core', 'alloc', 'std', 'dlmalloc', 'compiler_builtins', '__rustc']);
function leadingCrate(path) {
  const m = /^[&*(\[\s]*(?:mut\s+|const\s+|dyn\s+)?([A-Za-z_][A-Za-z0-9_]*)::/.exec(path);
  if (m) return m[1];
  // An inherent impl on a primitive, such as <u32>::_fmt or <str>::eq_ignore_ascii_case.
  return /^[&*\s]*(mut\s+)?(\[.*\]|str|char|bool|[iu](8|16|32|64|128|size)|f32|f64)$/.test(path) ? 'core' : null;
}
function splitQualified(s) { // "<A as B>::rest" -> [A, B]
  let depth = 0;
  for (let i = 1; i < s.length; i++) {
    if (s[i] === '<') depth++;
    else if (s[i] === '>') { if (depth === 0) { const inner = s.slice(1, i); const k = topLevelAs(inner); return k < 0 ? [inner, ''] : [inner.slice(0, k), inner.slice(k + 4)]; } depth--; }
  }
  return [s, ''];
}
function topLevelAs(s) {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '<') depth++; else if (s[i] === '>') depth--;
    else if (depth === 0 && s.startsWith(' as ', i)) return i;
  }
  return -1;
}

/** The crate a demangled function is charged to. `<Type as Trait>` goes to the first non-std
 * crate of the two; drop glue goes to the crate of the type being dropped. */
export function crateOf(name) {
  if (name.startsWith('byn$')) return '(binaryen-merged)';
  const drop = /^core::ptr::drop_in_place<(.*)>$/.exec(name);
  if (drop) return crateOf(drop[1]);
  if (name.startsWith('<')) {
    const [a, b] = splitQualified(name);
    const ca = a.startsWith('<') ? crateOf(a) : leadingCrate(a);
    const cb = leadingCrate(b);
    if (ca && !STD.has(ca)) return ca;
    if (cb && !STD.has(cb)) return cb;
    return ca || cb || '(other)';
  }
  const c = leadingCrate(name);
  if (c) return c;
  if (/^(__wbindgen|__wbg|__externref|wasm_bindgen)/.test(name)) return 'wasm_bindgen';
  if (/^intounderlying/.test(name)) return 'wasm_streams'; // its #[wasm_bindgen] exports
  if (/ shim$/.test(name)) return '(wasm-bindgen export shims)';
  if (name === '?') return '(unnamed)';
  if (/^(memcpy|memmove|memset|memcmp|bcmp|__)/.test(name)) return 'compiler_builtins';
  return '(exports and other)';
}

/** Tidies a demangled name: drops the `::h<hash>` suffix and `[hash]` crate disambiguators. */
export function tidy(name) {
  return name.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{8,16}\]/g, '');
}

/** What the code is for, across crates; `crate` is crateOf(name). */
export function kindOf(name, crate = crateOf(name)) {
  if (name.startsWith('core::ptr::drop_in_place')) return 'drop glue';
  if (/core::fmt|as core::fmt::|alloc::fmt|::fmt$|format/.test(name)) return 'formatting (core::fmt)';
  if (/panic|unwrap_failed|expect_failed|slice_(start|end)_index|index_fail|bounds_check/.test(name)) return 'panics and bounds checks';
  if (/serde/.test(name)) return 'serde (JSON payload)';
  if (/^(send_wrapper|futures_\w+|wasm_bindgen_futures|any_spawner|pin_project\w*)$/.test(crate) ||
      /js_sys::futures|Future|::poll\b|spawn_local|async_derived|Action/.test(name)) return 'async: futures, tasks, actions';
  if (/^(dlmalloc|alloc|__rustc|hashbrown|indexmap|slotmap|compiler_builtins)$/.test(crate)) return 'allocation, collections, memcpy';
  if (/^(tachys|leptos|either_of)$/.test(crate)) return 'view building and DOM updates (tachys, leptos)';
  if (crate === 'reactive_graph') return 'signals and effects (reactive_graph)';
  if (/^(wasm_bindgen|js_sys|web_sys|\(wasm-bindgen export shims\))$/.test(crate)) return 'JS interop (wasm-bindgen, js-sys, web-sys)';
  if (crate === 'wasm_streams' || crate === 'gloo_net' || crate === 'http') return 'HTTP client (gloo-net, wasm-streams)';
  if (crate === 'survey_widget' || crate === 'model') return 'the widget and model crates';
  return 'other';
}
