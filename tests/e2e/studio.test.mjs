// The Studio (console/, served by the collector at /console/) in real Chromium against the real
// collector: sign in with a marketer token (and not with a wrong one), edit the wording in the
// form, see the live preview (the real widget) change, publish version 2, and see the demo
// hall's widget show it and its response name version 2; create a survey, download its JSON. Also: survey text is text
// (markup shows literally in the Studio and the preview), an invalid edit blocks publish and
// names the field with model's message in the UI's language, the JSON view round-trips to the form, the history diffs two versions, and
// axe-core finds nothing on the list and the editor.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { collectorBin, startCollector, readAxe } from './support/servers.mjs';
import { launch, openPage } from './support/browser.mjs';

/** The id of the control for a JSON path, as console/src/paths.rs makes it. */
const control = (path) => `#f-${path.replace(/[[.]/g, '-').replace(/[^A-Za-z0-9_-]/g, '')}`;
/** The id of the messages about a JSON path. */
const messages = (path) => control(path).replace('#f-', '#m-');

async function axe(p) {
  // The preview's entrance animation must be over: a half-faded card fails contrast checks.
  await p.waitForFunction(() => [document, ...[...document.querySelectorAll('survey-widget')].map((w) => w.shadowRoot)]
    .every((root) => root.getAnimations().every((a) => a.playState === 'finished')));
  await p.evaluate(readAxe());
  return p.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('the Studio', () => {
  let collector, browser, token, manager;
  before(async () => {
    collector = await startCollector();
    browser = await launch();
    const create = (role, name) => execFileSync(collectorBin, ['token', 'create', '--role', role, '--name', name,
      '--database', collector.db]).toString().trim().split(/\s+/).at(-1);
    token = create('marketer', 'alice');
    manager = create('manager', 'bob');
  });
  after(async () => { await browser.close(); collector.stop(); });

  const studio = async () => {
    const opened = await openPage(browser, `${collector.url}/console/`);
    await opened.page.locator('[data-testid=token]').waitFor();
    return opened;
  };
  const signIn = async (p, with_ = token) => {
    await p.fill('[data-testid=token]', with_);
    await p.click('[data-testid=sign-in]');
  };
  const openSurvey = async (p, id) => {
    await p.locator('[data-testid=survey-row]', { hasText: id }).locator('[data-testid=open-survey]').click();
    await p.locator('[data-testid=question]').first().waitFor();
  };
  const preview = (p) => p.locator('[data-testid=preview-stage]');
  const current = async (id) => (await fetch(`${collector.url}/v1/surveys/${id}`)).json();

  it('refuses a wrong token with a clear message, signs in with a marketer token, and signs out', async () => {
    const { page: p, log } = await studio();
    await signIn(p, `sv_${'0'.repeat(64)}`);
    const message = p.locator('[data-testid=sign-in-message]');
    await p.waitForFunction(() => document.querySelector('#token').getAttribute('aria-invalid') === 'true'
      && !document.querySelector('[data-testid=sign-in]').disabled);
    assert.notEqual((await message.textContent()).trim(), '', 'the refusal is said');
    assert.equal(await p.locator('[data-testid=survey-list]').count(), 0);
    assert.equal(await p.evaluate(() => sessionStorage.length), 0, 'a refused token is not kept');

    await signIn(p);
    await p.locator('[data-testid=survey-list]').waitFor();
    assert.equal(await p.locator('[data-testid=survey-row]', { hasText: 'default' }).locator('[data-testid=survey-version]').textContent(), '1');
    await p.reload();
    await p.locator('[data-testid=survey-list]').waitFor(); // kept for the tab's session
    await p.click('[data-testid=sign-out]');
    await p.locator('[data-testid=token]').waitFor();
    assert.equal(await p.evaluate(() => sessionStorage.length), 0);
    assert.deepEqual(log.pageErrors, []);
    await p.close();
  });

  it('edits the wording, previews it, publishes version 2, and a customer gets it', async () => {
    const { page: p, log } = await studio();
    await signIn(p);
    await openSurvey(p, 'default');
    const question = '这次办理顺利吗？';
    const tag = '排队太久了';
    await p.fill(control('questions[0].text.zh-CN'), question);
    await p.fill(control('questions[1].options[0].label.zh-CN'), tag);

    // The preview is the real widget; walk its low-rating path.
    await preview(p).getByText(question).waitFor();
    await preview(p).locator('[data-testid=rating-option]').nth(1).check();
    await preview(p).locator('[data-testid=reason-option]').first().waitFor();
    assert.equal(await preview(p).getByText(tag).count(), 1, 'the new reason tag shows for a low rating');
    await p.click('[data-testid=preview-en]');
    await preview(p).getByText('How satisfied are you with this service?').waitFor();
    await p.check(control('display.large_text'));
    assert.equal(await p.isChecked('[data-testid=preview-large]'), true, "the survey's setting moves the preview's switch");
    await p.uncheck(control('display.large_text'));
    await p.click('[data-testid=preview-phone]');
    assert.equal(await preview(p).evaluate((el) => el.getBoundingClientRect().width), 375);

    await p.click('[data-testid=publish]');
    await p.waitForFunction(() => /2/.test(document.querySelector('[data-testid=publish-outcome]').textContent));
    assert.match(await p.textContent('[data-testid=editor-version]'), /2/);
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), true, 'nothing left to publish');
    const stored = await current('default');
    assert.equal(stored.version, 2);
    assert.equal(stored.questions[0].text['zh-CN'], question);
    assert.equal(stored.questions[1].options[0].label['zh-CN'], tag);

    // The history shows what changed between versions 1 and 2.
    await p.click('[data-testid=tab-history]');
    await p.locator('[data-testid=history-diff]').waitFor();
    const changes = await p.locator('[data-testid=history-change]').allTextContents();
    assert.equal(changes.length, 2, changes.join('\n'));
    assert.ok(changes[0].includes('satisfaction · text · zh-CN') && changes[0].includes(question), changes[0]);
    assert.ok(changes[1].includes('reasons · long_wait · zh-CN') && changes[1].includes(tag), changes[1]);

    // A customer in the demo hall (index.html: data-survey="/v1/surveys/default") pays: the
    // widget shows the new wording, and the stored response names version 2.
    const customer = await openPage(browser, `${collector.url}/`);
    await customer.widget.open();
    await customer.page.locator('survey-widget').getByText(question).waitFor();
    await customer.widget.rate(2);
    await customer.widget.reasons.nth(0).check();
    assert.equal(await customer.page.locator('survey-widget').getByText(tag).count(), 1);
    await customer.widget.submit.click();
    await customer.widget.thanks.waitFor();
    const txn = await customer.page.textContent('#txn');
    const response = (await collector.responses()).find((r) => r.transaction.id === txn);
    assert.deepEqual(response.survey, { id: 'default', version: 2 });
    assert.deepEqual(response.answers.reasons, ['long_wait']);
    assert.deepEqual(log.pageErrors, []);
    assert.deepEqual(customer.log.pageErrors, []);
    await customer.page.close();
    await p.close();
  });

  it('creates a survey from the built-in default, publishes it as version 1, and downloads its JSON', async () => {
    const { page: p } = await studio();
    await signIn(p);
    await p.locator('[data-testid=survey-list]').waitFor();
    await p.fill('[data-testid=new-id]', 'default');
    await p.click('[data-testid=create-survey]');
    assert.equal(await p.getAttribute('[data-testid=new-id]', 'aria-invalid'), 'true', 'an existing id is refused');
    await p.fill('[data-testid=new-id]', 'Bad Id');
    await p.click('[data-testid=create-survey]');
    assert.equal(await p.getAttribute('[data-testid=new-id]', 'aria-invalid'), 'true', "model's id rule");
    // model's words, in the UI's language, and again in the other one after a switch.
    assert.match(await p.textContent('#new-id-message'), /^id: 应为 1 到 64 个小写字母/);
    await p.click('[data-testid=ui-language]');
    await p.waitForFunction(() => /^id: must be 1 to 64 lowercase letters/.test(document.querySelector('#new-id-message').textContent));
    await p.click('[data-testid=ui-language]');
    await p.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    await p.fill('[data-testid=new-id]', 'hall-2027');
    await p.click('[data-testid=create-survey]');
    await p.locator('[data-testid=question]').first().waitFor();
    await p.fill(control('title.zh-CN'), '2027 营业厅评价');
    await p.click('[data-testid=publish]');
    await p.waitForFunction(() => /1/.test(document.querySelector('[data-testid=publish-outcome]').textContent));
    const stored = await current('hall-2027');
    assert.equal(stored.version, 1);
    assert.equal(stored.title['zh-CN'], '2027 营业厅评价');

    const [download] = await Promise.all([p.waitForEvent('download'), p.click('[data-testid=download]')]);
    assert.equal(download.suggestedFilename(), 'hall-2027-v1.json');
    const chunks = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk);
    assert.deepEqual(JSON.parse(Buffer.concat(chunks).toString()), stored);

    await p.click('[data-testid=back]');
    const row = p.locator('[data-testid=survey-row]', { hasText: 'hall-2027' });
    assert.equal(await row.locator('[data-testid=survey-version]').textContent(), '1');
    assert.ok((await row.textContent()).includes('alice'), 'the list names who published it');
    await p.close();
  });

  it('shows markup in survey text literally, in the form and in the preview', async () => {
    const { page: p, log } = await studio();
    await signIn(p);
    await openSurvey(p, 'default');
    const xss = '<img src=x onerror="window.__xss=1">';
    await p.fill(control('questions[0].text.zh-CN'), xss);
    await p.fill(control('title.zh-CN'), `<b>标题</b>${xss}`);
    await preview(p).getByText(xss).first().waitFor();
    await p.waitForTimeout(200);
    assert.equal(await p.inputValue(control('questions[0].text.zh-CN')), xss);
    const created = await p.evaluate(() => {
      const stage = document.querySelector('[data-testid=preview-stage]');
      const roots = [document, ...[...stage.querySelectorAll('*')].map((e) => e.shadowRoot).filter(Boolean)];
      return roots.reduce((n, r) => n + r.querySelectorAll('img, b').length, 0);
    });
    assert.equal(created, 0, 'no element is created from survey text');
    assert.equal(await p.evaluate(() => window.__xss), undefined);
    assert.deepEqual(log.pageErrors, []);
    await p.close();
  });

  it('blocks publish while an edit is invalid, naming the field next to it', async () => {
    const { page: p } = await studio();
    await signIn(p);
    await openSurvey(p, 'default');
    const field = 'questions[0].text.zh-CN';
    await p.fill(control(field), '');
    await p.locator(`${messages(field)} .error`).waitFor();
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), true);
    assert.equal(await p.getAttribute(control(field), 'aria-invalid'), 'true');
    assert.ok((await p.getAttribute(control(field), 'aria-describedby')).includes(messages(field).slice(1)));
    const problems = await p.locator('[data-testid=problem-error]').allTextContents();
    assert.ok(problems.some((x) => x.includes(field)), problems.join('\n'));
    // model's message, in the UI's language: zh-CN by default (model's tests pin the words).
    const next = p.locator(`${messages(field)} .error`);
    assert.match(await next.textContent(), /必填：每条文本都必须有默认语言中文（zh-CN）的内容/);
    assert.ok(problems.some((x) => x.includes(field) && x.includes('必填')), problems.join('\n'));
    // The en UI says the same in English, and still blocks publish.
    await p.click('[data-testid=ui-language]');
    await p.waitForFunction(() => document.documentElement.lang === 'en');
    assert.match(await next.textContent(), /is missing: every text needs the default locale zh-CN/);
    assert.doesNotMatch(await next.textContent(), /必填/);
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), true);
    await p.click('[data-testid=ui-language]');
    await p.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    // A missing translation is only a warning: it does not block publish.
    await p.fill(control(field), '满意吗？');
    await p.fill(control('questions[2].text.en'), '');
    await p.locator(`${messages('questions[2].text.en')} .warning`).waitFor();
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), false);
    // Leaving with unpublished changes asks first.
    p.once('dialog', (d) => d.dismiss());
    await p.click('[data-testid=back]');
    assert.equal(await p.locator('[data-testid=question]').count() > 0, true, 'stays on a "no"');
    p.once('dialog', (d) => d.accept());
    await p.click('[data-testid=back]');
    await p.locator('[data-testid=survey-list]').waitFor();
    await p.close();
  });

  it('adds, moves and removes questions and options from the keyboard, focus following the button', async () => {
    const { page: p } = await studio();
    await signIn(p);
    await openSurvey(p, 'default');
    const ids = () => p.locator('[data-testid=question] h3').allTextContents();
    const before = await ids();
    await p.selectOption('#new-question-type', 'choice');
    await p.focus('[data-testid=add-question]');
    await p.keyboard.press('Enter');
    await p.waitForFunction((n) => document.querySelectorAll('[data-testid=question]').length === n, before.length + 1);
    const added = `questions[${before.length}]`;
    assert.equal(await p.evaluate(() => document.activeElement.id), control(`${added}.text.zh-CN`).slice(1),
      'focus moves to the new question\'s text');
    // A new choice asks for its text and two option labels: model's errors, next to each.
    for (const field of [`${added}.text.zh-CN`, `${added}.options[0].label.zh-CN`, `${added}.options[1].label.zh-CN`]) {
      await p.locator(`${messages(field)} .error`).waitFor();
    }
    await p.keyboard.type('还有别的吗？');
    await p.fill(control(`${added}.options[0].label.zh-CN`), '有');
    await p.fill(control(`${added}.options[1].label.zh-CN`), '没有');
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), false);

    // Move it up with the keyboard: focus stays on the moved question's button.
    await p.focus(`#up-${before.length}`);
    await p.keyboard.press('Enter');
    await p.waitForFunction((id) => document.activeElement.id === id, `up-${before.length - 1}`);
    assert.match((await ids())[before.length - 1], /question_1/);
    // Options move too, and can be removed.
    const option = (j) => control(`questions[${before.length - 1}].options[${j}].label.zh-CN`);
    await p.click(`#option-down-${before.length - 1}-0`);
    assert.equal(await p.inputValue(option(0)), '没有');
    await p.click(`#option-remove-${before.length - 1}-1`);
    await p.locator(`${messages(`questions[${before.length - 1}].options`)} .error`).waitFor(); // one option is too few
    await p.click(`#remove-${before.length - 1}`);
    assert.deepEqual(await ids(), before);
    await p.close();
  });

  it('round-trips edits in the JSON view to the form', async () => {
    const { page: p } = await studio();
    await signIn(p);
    await openSurvey(p, 'default');
    await p.click('[data-testid=tab-json]');
    const json = JSON.parse(await p.inputValue('[data-testid=json]'));
    json.thanks['zh-CN'] = '多谢您！';
    json.questions.reverse();
    await p.fill('[data-testid=json]', '{ not json');
    assert.notEqual((await p.textContent('[data-testid=json-message]')).trim(), '');
    // Said in the UI's language, and listed with a link to the JSON editor (not an empty one).
    assert.match(await p.textContent('[data-testid=json-message]'), /不是有效的 JSON（第 1 行/);
    assert.match(await p.locator('[data-testid=problem-error] a[href="#json"]').textContent(), /不是有效的 JSON/);
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), true);
    await p.fill('[data-testid=json]', JSON.stringify(json, null, 2));
    await p.click('[data-testid=tab-form]');
    assert.equal(await p.inputValue(control('thanks.zh-CN')), '多谢您！');
    // Reversed, the conditions point forwards: model says so, at the condition, in Chinese.
    const forward = p.locator(`${messages('questions[1].show_if.question')} .error`);
    await forward.waitFor();
    assert.match(await forward.textContent(), /问题“\w+”在“\w+”.+时显示，但“\w+”排在它后面/);
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), true);
    await p.close();
  });

  it('publishes only to the survey it opened: an id changed in the JSON view blocks publish', async () => {
    const { page: p } = await studio();
    await signIn(p);
    await openSurvey(p, 'default');
    assert.equal(await p.getAttribute(control('id'), 'readonly'), '', 'the id is fixed in the form');
    await p.click('[data-testid=tab-json]');
    const json = JSON.parse(await p.inputValue('[data-testid=json]'));
    json.id = 'renamed';
    json.thanks.en = 'Thanks a lot!';
    await p.fill('[data-testid=json]', JSON.stringify(json));
    // model's rule, the collector's too, said in the UI's language (zh-CN by default).
    await p.waitForFunction(() => [...document.querySelectorAll('[data-testid=problem-error]')]
      .some((e) => e.textContent.includes('id') && e.textContent.includes('应为“default”')));
    assert.equal(await p.locator('[data-testid=publish]').isDisabled(), true);
    await p.click('[data-testid=ui-language]');
    await p.waitForFunction(() => [...document.querySelectorAll('[data-testid=problem-error]')]
      .some((e) => e.textContent.includes("must be 'default', the id of the survey it is published as")));
    // Back to the survey's own id: the edit can be published again, to 'default'.
    json.id = 'default';
    await p.fill('[data-testid=json]', JSON.stringify(json));
    await p.waitForFunction(() => !document.querySelector('[data-testid=publish]').disabled);
    assert.equal((await fetch(`${collector.url}/v1/surveys/renamed`)).status, 404);
    await p.close();
  });

  it('tells a manager that publishing needs the marketer role', async () => {
    const { page: p } = await studio();
    await signIn(p, manager);
    await openSurvey(p, 'default');
    await p.fill(control('thanks.en'), 'Thanks a lot!');
    await p.click('[data-testid=publish]');
    await p.waitForFunction(() => document.querySelector('[data-testid=publish-outcome]').textContent.includes('marketer'));
    await p.close();
  });

  it('has no axe violations on the list and the editor, in zh-CN and en', async () => {
    const { page: p } = await studio();
    assert.deepEqual(await axe(p), [], 'sign-in');
    await signIn(p);
    await p.locator('[data-testid=survey-list]').waitFor();
    assert.deepEqual(await axe(p), [], 'list');
    await openSurvey(p, 'default');
    await p.fill(control('questions[2].text.en'), ''); // a warning on the page
    await p.fill(control('title.zh-CN'), ''); // and an error
    await p.locator(`${messages('title.zh-CN')} .error`).waitFor();
    assert.deepEqual(await axe(p), [], 'editor');
    await p.click('[data-testid=ui-language]');
    await p.waitForFunction(() => document.documentElement.lang === 'en');
    assert.deepEqual(await axe(p), [], 'editor in en');
    await p.click('[data-testid=tab-history]');
    await p.locator('#history-from').waitFor();
    assert.deepEqual(await axe(p), [], 'history');
    await p.close();
  });
});
