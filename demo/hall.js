// The demo service hall: a "pay" flow that opens the survey for the finished transaction,
// an English switch, and (in demo mode only) the most recent responses from the collector.
(function () {
  'use strict';
  var EN = {
    brand: 'Demo Power Supply Co. · Online Service Hall', account: 'My account', acct_no: 'Account',
    acct_name: 'Holder', acct_name_v: 'Zhang **', address: 'Address', address_v: 'Flat 502, Unit 3, 88 Binjiang Rd, East District',
    unit: 'Service unit', unit_v: 'East District Service Hall', bill: 'Electricity bill, October 2026', usage: 'Usage',
    due: 'Due', amount: 'Amount due', pay: 'Pay now', paid: 'Payment received, thank you. Transaction',
    demo: 'Latest responses (demo mode)', demo_note: 'A response you submit appears here within seconds, read back by the collector from SQLite.',
    repay: 'Pay again (demo)'
  };
  var ZH = { repay: '再次缴费（演示）' };
  var nodes = document.querySelectorAll('[data-i18n]');
  nodes.forEach(function (n) { ZH[n.dataset.i18n] = n.textContent; });
  var lang = 'zh-CN';
  function t(key) { return (lang === 'en' ? EN : ZH)[key]; }
  function setLang(next) {
    lang = next;
    document.documentElement.lang = next;
    nodes.forEach(function (n) { n.textContent = t(n.dataset.i18n); });
    document.getElementById('lang').textContent = next === 'en' ? '中文' : 'English';
    if (!document.getElementById('paid').hidden) document.getElementById('pay').textContent = t('repay');
  }
  document.getElementById('lang').addEventListener('click', function () { setLang(lang === 'en' ? 'zh-CN' : 'en'); });

  document.getElementById('pay').addEventListener('click', function () {
    var id = 'PAY-' + new Date().toISOString().slice(0, 10).replace(/-/g, '') + '-' + Math.random().toString(36).slice(2, 8).toUpperCase();
    document.getElementById('txn').textContent = id;
    document.getElementById('paid').hidden = false;
    this.textContent = t('repay');
    window.SurveyWidget.open({ transaction: { id: id, type: 'bill_payment', unit: 'east-district-hall' } });
  });

  // Demo mode: the collector serves /demo/responses only when started with --demo.
  var list = document.getElementById('responses');
  function render(rows) {
    list.replaceChildren.apply(list, rows.map(function (r) {
      var li = document.createElement('li');
      var p = r.payload || r;
      li.textContent = [p.submitted_at, p.transaction.id, '★' + p.answers.satisfaction,
        (p.answers.reasons || []).join(', '), p.answers.comment].filter(Boolean).join(' · ');
      return li;
    }));
  }
  function poll() {
    fetch('/demo/responses?limit=10').then(function (res) {
      if (!res.ok) return;
      document.getElementById('demo').hidden = false;
      return res.json().then(render).then(function () { setTimeout(poll, 3000); });
    }).catch(function () { setTimeout(poll, 10000); });
  }
  poll();
})();
