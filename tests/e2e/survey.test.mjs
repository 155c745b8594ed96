// Survey definitions in the widget (data-survey): a definition published to the collector is
// fetched and rendered, every question type and a condition included, and the stored response
// names its version; an inline <script type="application/json"> works too; survey text is
// text (markup shows literally); a definition that is invalid or fails to load falls back to
// the built-in survey with one console error naming the problem.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectorBin, root, startCollector, startHost } from './support/servers.mjs';
import { axe, launch, openPage } from './support/browser.mjs';

const t = (zh, en) => ({ 'zh-CN': zh, en });
/** The built-in survey's title, read from its source. */
const BUILTIN_TITLE = JSON.parse(readFileSync(join(root, 'model/surveys/default.json'), 'utf8')).title['zh-CN'];

/** A survey with every question type, a condition and an inline-free display. */
function allTypes(title = t('全部题型', 'All question types')) {
  const low = { question: 'mood', op: 'lte', value: 2 };
  return {
    schema: 1, id: 'e2e-all', version: 1, default_locale: 'zh-CN', locales: ['zh-CN', 'en'], title,
    questions: [
      { id: 'mood', type: 'rating', required: true, points: 3, style: 'faces',
        labels: [t('不好', 'Bad'), t('一般', 'OK'), t('很好', 'Great')], text: t('心情如何？', 'How was it?') },
      { id: 'why', type: 'choice', mode: 'single', show_if: low, required_if: low,
        options: [{ id: 'price', label: t('价格', 'Price') }, { id: 'speed', label: t('速度', 'Speed') }],
        other: { label: t('其他原因', 'Something else') }, text: t('主要原因？', 'Main reason?') },
      { id: 'nps', type: 'nps', text: t('您会推荐吗？', 'Would you recommend us?') },
      { id: 'expect', type: 'expectation', text: t('与预期相比？', 'Compared with what you expected?') },
      { id: 'name', type: 'text', multiline: false, max_length: 20,
        placeholder: t('可不填', 'Optional'), text: t('怎么称呼您？', 'Your name?') },
    ],
    thanks: t('多谢！', 'Many thanks!'),
  };
}

describe('survey definitions in the widget', () => {
  let collector, host, browser, token;
  before(async () => {
    [collector, host] = await Promise.all([startCollector(), startHost()]);
    browser = await launch();
    token = execFileSync(collectorBin, ['token', 'create', '--role', 'marketer', '--name', 'e2e',
      '--database', collector.db]).toString().trim().split(/\s+/).at(-1);
  });
  after(async () => { await browser.close(); collector.stop(); host.stop(); });
  const page = (query) => `${host.url}/page?widget=${collector.url}${query}`;
  const publish = async (definition) => {
    const res = await fetch(`${collector.url}/v1/surveys/${definition.id}`, {
      method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(definition),
    });
    const body = await res.text();
    assert.equal(res.status < 300, true, `publish: HTTP ${res.status} ${body}`);
    return JSON.parse(body);
  };
  const stored = async (txn) => (await collector.responses()).find((r) => r.transaction.id === txn);
  const errors = (log) => log.console.filter((m) => m.type === 'error').map((m) => m.text);
  const q = (p, id) => p.locator(`survey-widget [data-question=${id}]`);

  it('renders every question type of a published survey, and the response names its version', async () => {
    const first = await publish(allTypes());
    const url = encodeURIComponent(`${collector.url}/v1/surveys/e2e-all`);
    const txn = `DEF-${randomUUID()}`;
    const { page: p, widget, log } = await openPage(browser, page(`&survey=${url}&txn=${txn}`));
    await widget.open();
    assert.equal(await widget.dialog.locator('h2').textContent(), '全部题型');
    assert.equal(await q(p, 'mood').locator('input[type=radio]').count(), 3);
    assert.equal(await q(p, 'nps').locator('input[type=radio]').count(), 11);
    assert.equal(await q(p, 'expect').locator('input[type=radio]').count(), 5);
    assert.equal(await q(p, 'expect').textContent().then((x) => x.includes('符合预期')), true);
    assert.equal(await q(p, 'why').isVisible(), false, 'hidden until the rating is low');
    assert.equal(await q(p, 'name').locator('input').getAttribute('placeholder'), '可不填');

    await q(p, 'mood').locator('input').nth(0).check();
    assert.equal(await q(p, 'why').isVisible(), true, 'shown for a low rating');
    assert.equal(await widget.$('hint').isVisible(), true, 'and said to be required before submit');
    await q(p, 'why').locator('input[data-reason="(other)"]').check();
    assert.equal(await widget.$('hint').textContent(), '请填写“其他”的具体内容。', 'says what is missing');
    await q(p, 'why').locator('[data-testid=other-text]').fill('<b>太慢</b>');
    await q(p, 'nps').locator('input').nth(9).check();
    await q(p, 'expect').locator('input').nth(2).check();
    await q(p, 'name').locator('input').fill('王女士');
    await widget.submit.click();
    await widget.thanks.waitFor();
    assert.equal((await widget.thanks.textContent()).includes('多谢！'), true);

    const response = await stored(txn);
    assert.ok(response, 'stored');
    assert.deepEqual(response.survey, { id: 'e2e-all', version: first.version });
    assert.deepEqual(response.answers, {
      mood: 1, why: { selected: [], other: '<b>太慢</b>' }, nps: 9, expect: 0, name: '王女士',
    });
    assert.deepEqual(errors(log), []);
    assert.deepEqual(log.pageErrors, []);

    // A second page revalidates the cached definition with its ETag (the collector then answers
    // 304 and the browser uses its copy), rather than downloading it again.
    const etag = (await fetch(`${collector.url}/v1/surveys/e2e-all`)).headers.get('etag');
    const statuses = [];
    const cached = await browser.newPage();
    cached.on('response', async (r) => {
      if (r.url().includes('/v1/surveys/e2e-all')) {
        statuses.push((await r.request().allHeaders())['if-none-match'] ?? null);
      }
    });
    await cached.goto(page(`&survey=${url}&txn=DEF-${randomUUID()}`));
    await cached.click('#pay');
    await cached.locator('survey-widget [role=dialog] h2').waitFor();
    assert.equal(await cached.locator('survey-widget [role=dialog] h2').textContent(), '全部题型');
    assert.deepEqual(statuses, [etag], 'one conditional request with the ETag');
    await cached.close();

    // The marketer publishes new wording: the next page shows it, with no rebuild.
    const second = await publish(allTypes(t('新的标题', 'New title')));
    assert.equal(second.version, first.version + 1);
    const txn2 = `DEF-${randomUUID()}`;
    const again = await openPage(browser, page(`&survey=${url}&txn=${txn2}`));
    await again.widget.open();
    assert.equal(await again.widget.dialog.locator('h2').textContent(), '新的标题');
    await q(again.page, 'mood').locator('input').nth(2).check();
    await again.widget.submit.click();
    await again.widget.thanks.waitFor();
    assert.deepEqual((await stored(txn2)).survey, { id: 'e2e-all', version: second.version });
    await p.close(); await again.page.close();
  });

  it('reads an inline definition, shows its markup as text, and places itself inline', async () => {
    const xss = '<img src=x onerror="window.__xss=1">';
    const def = { ...allTypes(t(`<b>标题</b>${xss}`, 'Title')), id: 'e2e-inline',
      display: { placement: { inline: 'survey-slot' } } };
    def.questions[0].text = t(xss, xss);
    const inline = encodeURIComponent(JSON.stringify(def));
    const { page: p, widget, log } = await openPage(browser, page(`&survey=survey-def&inline=${inline}&slot=1`));
    await widget.open();
    assert.equal(await widget.dialog.locator('h2').textContent(), `<b>标题</b>${xss}`);
    assert.equal(await q(p, 'mood').locator('legend').textContent(), xss);
    const created = await p.evaluate(() => document.querySelector('survey-widget').shadowRoot
      .querySelectorAll('img, b').length);
    assert.equal(created, 0, 'no element is created from survey text');
    await p.waitForTimeout(200);
    assert.equal(await p.evaluate(() => window.__xss), undefined);
    assert.equal(await p.evaluate(() => document.querySelector('survey-widget').parentElement.id), 'survey-slot');
    assert.deepEqual(errors(log), []);
    await p.close();
  });

  it('takes every question type by keyboard alone, with no axe violations, in normal and large text', async () => {
    for (const large of [false, true]) {
      // Published, because the collector checks answers against the version they name.
      await publish({ ...allTypes(), id: 'e2e-keys', display: { large_text: large } });
      const url = encodeURIComponent(`${collector.url}/v1/surveys/e2e-keys`);
      const txn = `KEY-${randomUUID()}`;
      const { page: p, widget } = await openPage(browser, page(`&survey=${url}&txn=${txn}`));
      await widget.open();
      assert.deepEqual(await axe(p), [], 'open');
      const focusedIn = () => p.evaluate(() => {
        const el = document.querySelector('survey-widget').shadowRoot.activeElement;
        return el && `${el.closest('[data-question]')?.dataset.question ?? el.dataset.testid}:${el.value ?? ''}`;
      });
      assert.match(await focusedIn(), /^mood:/, 'focus starts on the first question');
      await p.keyboard.press('ArrowRight'); // APG rating radio group: arrows move and select
      assert.equal(await focusedIn(), 'mood:2');
      await p.keyboard.press('Tab');
      assert.match(await focusedIn(), /^why:/, 'the low rating showed the reason question');
      await p.keyboard.press('Space');
      await p.keyboard.press('Tab');
      assert.match(await focusedIn(), /^nps:/);
      for (let i = 0; i < 8; i++) await p.keyboard.press('ArrowRight');
      await p.keyboard.press('Tab');
      assert.match(await focusedIn(), /^expect:/);
      await p.keyboard.press('ArrowRight');
      await p.keyboard.press('ArrowLeft');
      await p.keyboard.press('Tab');
      assert.match(await focusedIn(), /^name:/);
      await p.keyboard.type('Li');
      assert.deepEqual(await axe(p), [], 'answered');
      await p.keyboard.press('Tab');
      assert.equal(await focusedIn(), 'submit:');
      await p.keyboard.press('Enter');
      await widget.thanks.waitFor();
      assert.deepEqual(await axe(p), [], 'thank-you');
      const response = await stored(txn);
      assert.deepEqual(response.answers, { mood: 2, why: ['price'], nps: 8, expect: -2, name: 'Li' });
      if (large) {
        const size = await p.evaluate(() => getComputedStyle(document.querySelector('survey-widget')
          .shadowRoot.querySelector('.sw-thanks-text')).fontSize);
        assert.equal(parseFloat(size) >= 19, true, `large text: ${size}`);
      }
      await p.close();
    }
  });

  it('falls back to the built-in survey, with one error naming the field, when the definition is invalid', async () => {
    const def = allTypes(t('', 'Title'));
    def.questions[2].text = t('推荐吗？', '');
    const inline = encodeURIComponent(JSON.stringify(def));
    const txn = `BAD-${randomUUID()}`;
    const { page: p, widget, log } = await openPage(browser, page(`&survey=survey-def&inline=${inline}&txn=${txn}`));
    await widget.open();
    assert.equal(await widget.dialog.locator('h2').textContent(), BUILTIN_TITLE, 'the built-in survey');
    const logged = errors(log);
    assert.equal(logged.length, 1, JSON.stringify(logged));
    assert.match(logged[0], /^\[survey-widget\] data-survey "survey-def": .*title\.zh-CN/);
    await widget.rate(5);
    await widget.submit.click();
    await widget.thanks.waitFor();
    assert.deepEqual((await stored(txn)).survey, { id: 'default', version: 1 });
    const events = await widget.events();
    assert.equal(events.filter((e) => e.name === 'error' && e.detail.code === 'survey').length, 1);
    assert.deepEqual(log.pageErrors, []);
    await p.close();
  });

  it('falls back to the built-in survey, with one error, when the definition cannot be fetched', async () => {
    const url = encodeURIComponent(`${collector.url}/v1/surveys/no-such-survey`);
    const { page: p, widget, log } = await openPage(browser, page(`&survey=${url}`));
    await widget.open();
    assert.equal(await widget.dialog.locator('h2').textContent(), BUILTIN_TITLE);
    const logged = errors(log).filter((m) => m.startsWith('[survey-widget]'));
    assert.equal(logged.length, 1, JSON.stringify(logged));
    assert.match(logged[0], /no-such-survey.*HTTP 404/);
    assert.deepEqual(log.pageErrors, []);
    await p.close();
  });
});
