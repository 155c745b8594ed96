/* survey-widget loader. Paste: <script src=".../embed.js" data-endpoint="..." async></script>
 * Public contract (src/contract.rs is the source of truth; a test checks these names):
 * window.SurveyWidget.open/close, the survey-widget:open / survey-widget:close events, and
 * survey-widget:error with code "load". The widget's wasm and glue are fetched on idle after
 * the page's load event, or at the first open, whichever comes first. */
(function (w, d) {
  'use strict';
  var P = '[survey-widget] ', pre = w.SurveyWidget;
  if (pre && pre.open) return; // the tag is on the page twice: the first one wins
  var s = d.currentScript || d.querySelector('script[src*="embed.js"]');
  var base = new URL('.', s.src).href, data = {}, q = [], mod, state = 0, k;
  for (k in s.dataset) data[k] = s.dataset[k];

  function fail(e) {
    var m = 'could not start: ' + ((e && e.message) || e);
    state = 3; q = [];
    console.error(P + m);
    d.dispatchEvent(new CustomEvent('survey-widget:error', { detail: { code: 'load', message: m } }));
  }
  function run(c) { try { mod[c[0]](c[1]); } catch (e) { console.error(P + e); } }
  function load() {
    if (state) return;
    state = 1;
    // Fetch the wasm while the glue module loads, rather than one after the other.
    var wasm = fetch(base + 'survey-widget_bg.wasm');
    wasm.catch(Boolean); // its failure is reported through the chain below, never unhandled
    import(base + 'survey-widget.js').then(function (m) {
      // Boot in a task of its own, not in the one that instantiated the wasm: two shorter
      // tasks instead of one long one on the host's main thread.
      return m.default({ module_or_path: wasm }).then(function () {
        return new Promise(function (r) { setTimeout(r); });
      }).then(function () {
        if (!m.boot(data)) { state = 3; q = []; return; } // boot logged what is wrong
        mod = m; state = 2;
        q.splice(0).forEach(run);
      });
    }).catch(fail);
  }
  function call(name, arg) {
    if (state == 2) run([name, arg]);
    else if (state < 3) { q.push([name, arg]); load(); }
  }

  w.SurveyWidget = {
    open: function (o) { call('open', o); },
    close: function () { call('close'); }
  };
  d.addEventListener('survey-widget:open', function (e) { call('open', e.detail); });
  d.addEventListener('survey-widget:close', function () { call('close'); });
  // Commands queued before this script ran: window.SurveyWidget = [['open', {...}], ...]
  if (pre && pre.forEach) pre.forEach(function (c) { call(c[0], c[1]); });

  function idle() { (w.requestIdleCallback || setTimeout)(load); }
  if (d.readyState == 'complete') idle(); else w.addEventListener('load', idle);
})(window, document);
