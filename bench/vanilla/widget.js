/* A baseline for bench/, NOT shipped: the same survey as the Leptos widget in plain JS, so that
 * bench/run can put the widget's bytes and open-to-visible time next to what the job needs at
 * minimum. Same shape: shadow root, 5 rating radios, 7 reasons for a rating <= 2, a comment with
 * n/500, a JSON POST (payload v1) and a thank-you.
 * Paste: <script src=".../widget.js" data-endpoint="https://.../v1/responses" async></script>
 * API: window.VanillaSurvey.open({ transaction: { id, type, unit } }). */
(function (w, d) {
  'use strict';
  var endpoint = (d.currentScript || {}).dataset.endpoint || '/v1/responses', host, root, tx;
  var LABELS = ['非常不满意', '不满意', '基本满意', '满意', '非常满意'];
  var REASONS = [['long_wait', '等待时间长'], ['too_many_steps', '流程繁琐'],
    ['unclear_information', '信息不清楚'], ['system_failure', '系统故障'],
    ['poor_attitude', '服务态度差'], ['problem_not_solved', '问题未解决'], ['other', '其他']];
  var CSS = ':host{all:initial}.c{position:fixed;right:16px;bottom:16px;width:320px;padding:16px;' +
    'background:#fff;color:#222;font:14px/1.5 system-ui,sans-serif;border-radius:8px;' +
    'box-shadow:0 4px 24px #0003}fieldset{border:0;margin:0;padding:0}.s{display:flex;gap:4px}' +
    '.s label{position:relative;font-size:28px;color:#ccc;cursor:pointer}.s label.on{color:#f5a623}' +
    '.s input{position:absolute;inset:0;opacity:0;margin:0;cursor:pointer}.r label{display:block}' +
    'textarea{width:100%;box-sizing:border-box}.n{text-align:right;color:#666}[hidden]{display:none}' +
    'button{margin-top:8px;padding:6px 16px}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}';

  function el(tag, attrs, kids) {
    var e = d.createElement(tag), k;
    for (k in attrs) if (k == 'text') e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    (kids || []).forEach(function (c) { e.appendChild(c); });
    return e;
  }
  function render() {
    var rating = 0, stars = [], boxes = [];
    var status = el('p', { role: 'status', 'aria-live': 'polite' });
    var comment = el('textarea', { id: 'vs-c', maxlength: '500', rows: '3' });
    var count = el('div', { 'class': 'n', text: '0/500' });
    var reasons = el('fieldset', { 'class': 'r', hidden: '' }, [el('legend', { text: '哪些方面让您不满意？（可多选）' })]);
    var send = el('button', { type: 'submit', text: '提交' });
    var form = el('form', { 'class': 'c', role: 'dialog', 'aria-label': '服务评价' });
    var scale = el('div', { 'class': 's' });
    LABELS.forEach(function (text, i) {
      var input = el('input', { type: 'radio', name: 'sw-rating', value: String(i + 1) });
      input.onchange = function () {
        rating = i + 1;
        stars.forEach(function (s, j) { s.className = j <= i ? 'on' : ''; });
        reasons.hidden = rating > 2;
      };
      stars.push(scale.appendChild(el('label', {}, [input, el('span', { 'aria-hidden': 'true', text: '★' }), el('span', { 'class': 'vh', text: text })])));
    });
    REASONS.forEach(function (r) {
      var box = el('input', { type: 'checkbox', value: r[0] });
      boxes.push(box);
      reasons.appendChild(el('label', {}, [box, d.createTextNode(r[1])]));
    });
    comment.oninput = function () { count.textContent = comment.value.length + '/500'; };
    form.onsubmit = function (e) {
      e.preventDefault();
      if (!rating) { status.textContent = '请选择满意度'; return; }
      send.disabled = true;
      status.textContent = '正在提交…';
      var id = w.crypto.randomUUID ? w.crypto.randomUUID() : String(Date.now());
      fetch(endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': id },
        body: JSON.stringify({ response_id: id, survey: { id: 'default', version: 1 }, transaction: tx,
          answers: { satisfaction: rating, comment: comment.value, reasons: rating > 2 ? [] :
            boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }) },
          locale: 'zh-CN', submitted_at: new Date().toISOString(), page: location.origin + location.pathname,
          widget_version: '0.0.0-vanilla' }) })
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          form.replaceChildren(el('p', { id: 'vs-thanks', text: '感谢您的评价！' }));
        })
        .catch(function () { send.disabled = false; status.textContent = '提交失败，请重试'; });
    };
    [el('fieldset', {}, [el('legend', { text: '您对本次服务满意吗？' }), scale]), reasons,
      el('label', { 'for': 'vs-c', text: '其他意见（选填）' }), comment, count, send, status]
      .forEach(function (c) { form.appendChild(c); });
    root.replaceChildren(form);
  }
  w.VanillaSurvey = {
    open: function (o) {
      tx = o && o.transaction;
      if (!host) {
        host = d.body.appendChild(d.createElement('vanilla-survey'));
        root = host.attachShadow({ mode: 'open' });
        var sheet = new CSSStyleSheet(); // constructed, like the widget's: no inline <style> for a CSP to block
        sheet.replaceSync(CSS);
        root.adoptedStyleSheets = [sheet];
      }
      render();
    }
  };
})(window, document);
