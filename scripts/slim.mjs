// Shrinks the widget files trunk wrote, after `trunk build --release` (a post_build hook in
// Trunk.toml runs it on the staging dir; see ../shared/toolchain.md for the tools).
//
// 1. Drops the wasm exports the glue never reads (such as the marker export of Leptos's
//    code-splitting support): exports are roots for every optimizer, so `wasm-metadce` removes
//    them and `wasm-opt -Oz` the code only they reached.
// 2. Renames the wasm's imports, exports and import module to one- or two-letter names
//    (`--minify-imports-and-exports-and-modules`) and the glue to match: the generated names
//    carry a 16-hex-digit hash each, written twice (wasm and glue), which compress badly. The
//    glue's closure shims, named after Rust symbols, become `$0`, `$1`, … too.
// 3. Strips comments and indentation from the glue and from embed.js (src/embed.js, the source,
//    stays readable; src/contract.rs tests the source), and marks the glue for eager
//    compilation (V8's `//# allFunctionsCalledOnLoad`, see EAGER below).
// 4. Names the glue and the wasm after their content (`survey-widget.<hash>.js`,
//    `survey-widget_bg.<hash>.wasm`, 10 hex digits of SHA-256) and points embed.js at them, so
//    they can be cached for good (`immutable`): a returning customer's browser loads them
//    without asking the server again. embed.js keeps its name, which host pages paste.
// 5. Writes NAME.br (brotli, quality 11) and NAME.gz (gzip -9) beside each of the three, which
//    the collector serves to browsers that accept them (docs/embedding.md: a CDN can too).
//
// Every step checks what it expects and fails the build loudly otherwise.
// Usage: node scripts/slim.mjs DIR   (DIR holds survey-widget.js, survey-widget_bg.wasm, embed.js)
// As trunk's hook it takes DIR from TRUNK_STAGING_DIR, and does nothing in debug builds.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import zlib from 'node:zlib';
import { join } from 'node:path';

const NAME = 'survey-widget';
// What the loader calls; these must survive.
const API = ['boot', 'open', 'close'];
// The features rustc's wasm32 output uses (as trunk passes them to wasm-opt).
export const FEATURES = [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
];

// V8's explicit compile hint (Chrome 136+): compile every function of the glue while the
// module is fetched, off the main thread, instead of each on its first call. In a cold open
// (an `open` before the files are loaded) boot and the first open call ~100 of the glue's
// functions; compiled lazily, that was 6-15 ms (traced) of the task that shows the survey at
// CPU 4x (docs/performance.md). Other browsers read it as a comment.
export const EAGER = '//# allFunctionsCalledOnLoad\n';

function fail(message) {
  console.error(`scripts/slim.mjs: ${message}`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) fail(message);
}

const lines = (text) => text.split('\n');

const exportsOf = (bytes) => WebAssembly.Module.exports(new WebAssembly.Module(bytes));
const importsOf = (bytes) => WebAssembly.Module.imports(new WebAssembly.Module(bytes));
const escape = (s) => s.replace(/[$]/g, '\\$');

/** The import object's entries, each from its `        NAME: function(` line to the next. */
function importEntries(glue) {
  const src = lines(glue);
  const starts = [];
  src.forEach((l, i) => {
    const m = /^ {8}([A-Za-z_$][\w$]*): function\(/.exec(l);
    if (m) starts.push([m[1], i]);
  });
  check(starts.length > 0, 'the glue has no import object entries');
  const close = src.indexOf('    };', starts[starts.length - 1][1]);
  check(close > 0, 'the import object is not closed by "    };"');
  const entries = new Map();
  starts.forEach(([name, start], k) => {
    const end = (k + 1 < starts.length ? starts[k + 1][1] : close) - 1;
    check(/^ {8}\}.*,$/.test(src[end]), `import ${name} does not end with a "        }...," line`);
    entries.set(name, [start, end]);
  });
  return entries;
}

function slimWasmAndGlue(dir) {
  const wasmPath = join(dir, `${NAME}_bg.wasm`);
  const gluePath = join(dir, `${NAME}.js`);
  let glue = readFileSync(gluePath, 'utf8');

  // Roots: the exports the glue reads. Only the glue touches the wasm's exports (the loader
  // calls the glue's functions), so an export it never reads is dead.
  const wasm = readFileSync(wasmPath);
  const exported = exportsOf(wasm).map((e) => e.name);
  const used = new Set([...glue.matchAll(/\bwasm\.([\w$]+)/g)].map((m) => m[1]));
  for (const name of used) check(exported.includes(name), `the glue reads wasm.${name}, not exported`);
  for (const name of API) check(used.has(name), `the glue no longer calls wasm.${name}`);
  const graph = exported.map((name) => ({
    name: `export:${name}`,
    export: name,
    ...(used.has(name) ? { root: true } : {}),
  }));

  const tmp = mkdtempSync(join(tmpdir(), 'slim-'));
  try {
    const graphPath = join(tmp, 'graph.json');
    const dcePath = join(tmp, 'dce.wasm');
    writeFileSync(graphPath, JSON.stringify(graph));
    execFileSync('wasm-metadce', [...FEATURES, wasmPath, '-f', graphPath, '-o', dcePath], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const mapping = execFileSync(
      'wasm-opt',
      [...FEATURES, '-Oz', '--minify-imports-and-exports-and-modules', '--strip-producers',
        '--strip-target-features', dcePath, '-o', wasmPath],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const map = JSON.parse(mapping);
    check(map.imports?.length && map.exports?.length, 'wasm-opt printed no name mapping');
    glue = renameInGlue(glue, map, readFileSync(wasmPath));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  writeFileSync(gluePath, EAGER + minifyJs(glue));
}

function renameInGlue(glue, map, wasm) {
  const imports = importsOf(wasm);
  const modules = [...new Set(imports.map((i) => i.module))];
  check(modules.length === 1, `expected one import module, found ${modules.join(', ')}`);
  const modDecl = `        "./${NAME}_bg.js": import0,`;
  check(glue.includes(modDecl), 'the glue does not pass its imports as one module');
  glue = glue.replace(modDecl, `        ${JSON.stringify(modules[0])}: import0,`);

  // Imports: rename those still used, drop the entries of those the DCE removed.
  const renamed = new Map(map.imports.map(([, from, to]) => [from, to]));
  const src = lines(glue);
  const entries = [...importEntries(glue)].sort((a, b) => b[1][0] - a[1][0]);
  for (const [name, [start, end]] of entries) {
    const to = renamed.get(name);
    if (to === undefined) src.splice(start, end - start + 1);
    else src[start] = src[start].replace(`        ${name}:`, `        ${to}:`);
  }
  glue = src.join('\n');
  const keys = new Set(importEntries(glue).keys());
  for (const { name } of imports) check(keys.has(name), `the glue does not provide import ${name}`);

  for (const [from, to] of map.exports) {
    glue = glue.replace(new RegExp(`\\bwasm\\.${escape(from)}\\b`, 'g'), `wasm.${to}`);
  }
  const exported = new Set(exportsOf(wasm).map((e) => e.name));
  for (const [, name] of glue.matchAll(/\bwasm\.([\w$]+)/g)) {
    check(exported.has(name), `the glue reads wasm.${name}, which is not exported`);
  }
  return shortenLocalNames(removeUnusedHelpers(glue));
}

/**
 * Renames the glue's own functions whose names are Rust symbols (the closure shims, such as
 * `_RINvNvNt…6invoke…` or `wasm_bindgen_…___convert__closures…`, 60 to 150 characters each,
 * mangled one way or the other depending on the build) to `$0`, `$1`, …: only the glue
 * refers to them.
 */
function shortenLocalNames(glue) {
  check(!/\$\d/.test(glue), 'the glue already uses names like $0');
  const long = [...new Set([...glue.matchAll(/^function ((?:_R|wasm_bindgen_)\w{20,})\(/gm)].map((m) => m[1]))];
  check(long.length > 0, 'the glue has no closure shims named after Rust symbols');
  long.forEach((name, i) => {
    glue = glue.replace(new RegExp(`\\b${name}\\b`, 'g'), () => `$${i}`);
  });
  return glue;
}

/** Drops top-level `const X = [...];` enums and `function X(...) {...}` nobody refers to. */
function removeUnusedHelpers(glue) {
  for (let again = true; again; ) {
    again = false;
    const src = lines(glue);
    for (let i = 0; i < src.length; i++) {
      const m = /^(?:const (__wbindgen_enum_\w+) = \[.*\];|function (\w+)\()/.exec(src[i]);
      if (!m) continue;
      const name = m[1] ?? m[2];
      const refs = glue.match(new RegExp(`\\b${name}\\b`, 'g')).length;
      if (refs > 1) continue;
      const end = m[1] ? i : src.indexOf('}', i);
      check(end >= i, `helper ${name} is not closed by a "}" line`);
      src.splice(i, end - i + 1);
      glue = src.join('\n');
      again = true;
      break;
    }
  }
  return glue;
}

/**
 * Renames the glue and the wasm to `NAME.<hash>.js` and `NAME_bg.<hash>.wasm` and rewrites the
 * one quoted mention of each in embed.js. Returns the new names.
 */
function fingerprint(dir) {
  const embedPath = join(dir, 'embed.js');
  let embed = readFileSync(embedPath, 'utf8');
  const names = [[`${NAME}.js`, `${NAME}.`, '.js'], [`${NAME}_bg.wasm`, `${NAME}_bg.`, '.wasm']].map(
    ([name, stem, ext]) => {
      const hash = createHash('sha256').update(readFileSync(join(dir, name))).digest('hex').slice(0, 10);
      const to = `${stem}${hash}${ext}`;
      const quoted = `'${name}'`;
      check(embed.split(quoted).length === 2, `embed.js does not name ${quoted} exactly once`);
      embed = embed.replace(quoted, `'${to}'`);
      renameSync(join(dir, name), join(dir, to));
      return to;
    },
  );
  writeFileSync(embedPath, embed);
  return names;
}

/**
 * Removes comments and collapses whitespace, token by token: strings, template literals and
 * regular expressions are copied as they are. A line break is kept wherever automatic
 * semicolon insertion could depend on it (anywhere except after `;`, `{`, `,`, `(`, `[`), and a
 * space wherever two tokens would otherwise merge.
 */
export function minifyJs(code) {
  let out = '';
  let pendingSpace = '';
  let last = ''; // last significant character written
  let lastToken = ''; // last identifier/keyword written, for regex detection
  const word = (c) => /[\w$\\]/.test(c) || c > '\x7f';
  const emit = (text) => {
    if (pendingSpace) {
      const first = text[0];
      if (pendingSpace === '\n' && !';{,(['.includes(last)) out += '\n';
      else if ((word(last) && word(first)) || (last === first && '+-'.includes(first))) out += ' ';
      pendingSpace = '';
    }
    out += text;
    last = text[text.length - 1];
  };
  let i = 0;
  const n = code.length;
  while (i < n) {
    const c = code[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (out) pendingSpace = c === '\n' || c === '\r' || pendingSpace === '\n' ? '\n' : ' ';
      i++;
    } else if (c === '/' && code[i + 1] === '/') {
      while (i < n && code[i] !== '\n') i++;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      check(end > 0, 'unterminated comment');
      if (code.slice(i, end).includes('\n') && out) pendingSpace = '\n';
      else if (out && !pendingSpace) pendingSpace = ' ';
      i = end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < n && code[j] !== c) {
        check(code[j] !== '\n', 'unterminated string');
        j += code[j] === '\\' ? 2 : 1;
      }
      emit(code.slice(i, j + 1));
      lastToken = '';
      i = j + 1;
    } else if (c === '`') {
      let j = i + 1;
      while (j < n && code[j] !== '`') j += code[j] === '\\' ? 2 : 1;
      check(j < n, 'unterminated template literal');
      emit(code.slice(i, j + 1));
      lastToken = '';
      i = j + 1;
    } else if (c === '/') {
      const regexAllowed =
        !(word(last) || ')]}'.includes(last)) ||
        ['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'void'].includes(lastToken);
      if (regexAllowed) {
        let j = i + 1;
        let inClass = false;
        while (j < n && (inClass || code[j] !== '/')) {
          check(code[j] !== '\n', 'unterminated regular expression');
          if (code[j] === '\\') j++;
          else if (code[j] === '[') inClass = true;
          else if (code[j] === ']') inClass = false;
          j++;
        }
        j++;
        while (j < n && /\w/.test(code[j])) j++;
        emit(code.slice(i, j));
        i = j;
      } else {
        emit('/');
        i++;
      }
      lastToken = '';
    } else if (word(c)) {
      let j = i;
      while (j < n && word(code[j])) j++;
      lastToken = code.slice(i, j);
      emit(lastToken);
      i = j;
    } else {
      emit(c);
      lastToken = '';
      i++;
    }
  }
  return out + '\n';
}

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
const debug = process.argv[2] === undefined && process.env.TRUNK_PROFILE !== 'release';
if (import.meta.url === `file://${process.argv[1]}` && !debug) {
  check(dir, 'usage: node scripts/slim.mjs DIR');
  slimWasmAndGlue(dir);
  const embed = join(dir, 'embed.js');
  writeFileSync(embed, minifyJs(readFileSync(embed, 'utf8')));
  // A syntax check of both (the glue is an ES module: checked under an .mjs name).
  execFileSync(process.execPath, ['--check', embed]);
  const tmp = mkdtempSync(join(tmpdir(), 'slim-'));
  try {
    const copy = join(tmp, 'glue.mjs');
    writeFileSync(copy, readFileSync(join(dir, `${NAME}.js`)));
    execFileSync(process.execPath, ['--check', copy]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const name of ['embed.js', ...fingerprint(dir)]) {
    const bytes = readFileSync(join(dir, name));
    writeFileSync(join(dir, `${name}.br`), zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }));
    writeFileSync(join(dir, `${name}.gz`), zlib.gzipSync(bytes, { level: 9 }));
  }
}
