//! The widget in headless Chromium (`cargo test --target wasm32-unknown-unknown`): each test
//! mounts the root component into a fresh element, acts as a customer would, awaits
//! `Executor::tick()`, and asserts on the DOM. Texts are read from the same tables the widget uses.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, missing_docs)]

use any_spawner::Executor;
use model::{Answer, Locale, Transaction};
use survey_widget::i18n::Strings;
use survey_widget::state::Controller;
use survey_widget::survey::builtin;
use survey_widget::widget::{self, Target, Widget};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Nothing listens on port 9 of the loopback: a POST there fails at once, as offline would.
const DEAD_ENDPOINT: &str = "http://127.0.0.1:9/v1/responses";

/// The built-in label of point `score` of the rating, in `locale`.
fn rating_label(score: usize, locale: Locale) -> String {
    let labels = builtin().questions[0].point_labels().unwrap();
    builtin().text(&labels[score - 1], locale).to_owned()
}

struct Mounted {
    root: HtmlElement,
    ctl: Controller,
    _widget: Widget,
}

impl Mounted {
    async fn open(locale: Locale) -> Mounted {
        let doc = document();
        let root: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
        doc.body().unwrap().append_child(&root).unwrap();
        let ctl = Controller::new(builtin());
        let widget = widget::mount(&root, ctl, Target::Endpoint(DEAD_ENDPOINT.into()));
        ctl.begin(
            Transaction {
                id: "T-1".into(),
                kind: "bill_payment".into(),
                unit: "east".into(),
            }
            .into(),
            locale,
        );
        Executor::tick().await;
        Mounted {
            root,
            ctl,
            _widget: widget,
        }
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> HtmlElement {
        self.find(selector)
            .unwrap_or_else(|| panic!("no {selector}"))
            .unchecked_into()
    }

    fn all(&self, selector: &str) -> Vec<HtmlElement> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().unchecked_into())
            .collect()
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector)
            .text_content()
            .unwrap_or_default()
            .trim()
            .to_owned()
    }

    fn visible(&self, selector: &str) -> bool {
        self.find(selector)
            .is_some_and(|e| !e.has_attribute("hidden"))
    }

    async fn rate(&self, score: usize) {
        self.all("[data-testid=rating-option]")[score - 1].click();
        Executor::tick().await;
    }

    async fn type_comment(&self, text: &str) {
        let area: HtmlTextAreaElement = self.get("[data-testid=comment]").unchecked_into();
        area.set_value(text);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        area.dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        Executor::tick().await;
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

#[wasm_bindgen_test]
async fn renders_a_labelled_dialog_with_the_five_level_scale_in_each_locale() {
    for locale in Locale::ALL {
        let w = Mounted::open(locale).await;
        let dialog = w.get("[role=dialog]");
        let title_id = dialog.get_attribute("aria-labelledby").unwrap();
        assert_eq!(
            w.text(&["#", &title_id].concat()),
            builtin().text(&builtin().title, locale)
        );
        let options = w.all("[data-testid=rating-option]");
        assert_eq!(options.len(), 5);
        for (i, option) in options.iter().enumerate() {
            let label = option.parent_element().unwrap().text_content().unwrap();
            let expected = rating_label(i + 1, locale);
            assert!(label.contains(&expected), "{label}");
        }
        assert_eq!(
            w.get("[data-testid=close]")
                .get_attribute("aria-label")
                .unwrap(),
            Strings::of(locale).close
        );
        assert_eq!(w.get(".sw").get_attribute("lang").unwrap(), locale.tag());
        assert!(
            w.find("[role=status][aria-live=polite]").is_some(),
            "live region exists from mount"
        );
    }
}

#[wasm_bindgen_test]
async fn choosing_a_rating_checks_it_and_shows_its_label() {
    let w = Mounted::open(Locale::ZhCn).await;
    let submit = w.get("[data-testid=submit]");
    assert_eq!(
        submit.get_attribute("aria-disabled").as_deref(),
        Some("true"),
        "nothing to send yet"
    );
    w.rate(4).await;
    assert_eq!(
        submit.get_attribute("aria-disabled"),
        None,
        "a rating is enough"
    );
    let options = w.all("[data-testid=rating-option]");
    let checked: Vec<bool> = options
        .iter()
        .map(|o| o.unchecked_ref::<HtmlInputElement>().checked())
        .collect();
    assert_eq!(checked, [false, false, false, true, false]);
    assert_eq!(
        w.text("[data-testid=rating-label]"),
        rating_label(4, Locale::ZhCn)
    );
    assert_eq!(
        w.ctl
            .peek(|s| s.answers.get("satisfaction").and_then(Answer::number)),
        Some(4)
    );
}

/// Arrow-key selection comes from the browser's native radio group (the APG Rating Radio
/// Group pattern): one name, radios in a fieldset with a legend, each with its label. Real key
/// presses are exercised end to end in tests/e2e/a11y.test.mjs.
#[wasm_bindgen_test]
async fn the_rating_is_one_native_radio_group_in_a_labelled_fieldset() {
    let w = Mounted::open(Locale::ZhCn).await;
    let options = w.all("[data-testid=rating-option]");
    let fieldset = options[0].closest("fieldset").unwrap().unwrap();
    let legend = fieldset.query_selector("legend").unwrap().unwrap();
    assert_eq!(
        legend.text_content().unwrap(),
        builtin().text(&builtin().questions[0].text, Locale::ZhCn)
    );
    for option in &options {
        let input: &HtmlInputElement = option.unchecked_ref();
        assert_eq!(input.type_(), "radio");
        assert_eq!(
            input.name(),
            options[0].unchecked_ref::<HtmlInputElement>().name()
        );
        assert_eq!(option.closest("fieldset").unwrap().unwrap(), fieldset);
        assert_eq!(option.parent_element().unwrap().tag_name(), "LABEL");
    }
    w.rate(2).await;
    w.rate(5).await;
    let checked = options
        .iter()
        .filter(|o| o.unchecked_ref::<HtmlInputElement>().checked())
        .count();
    assert_eq!(checked, 1, "choosing another score unchecks the first");
}

#[wasm_bindgen_test]
async fn a_bad_rating_shows_reasons_and_says_a_reason_is_needed_before_submit() {
    let w = Mounted::open(Locale::En).await;
    let t = Strings::of(Locale::En);
    w.rate(4).await;
    assert!(!w.visible("[data-testid=reasons]"));
    assert!(!w.visible("[data-testid=hint]"));

    w.rate(2).await;
    assert!(w.visible("[data-testid=reasons]"));
    assert_eq!(
        w.all("[data-testid=reason-option]").len(),
        builtin().questions[1].options.as_ref().unwrap().len()
    );
    assert!(w.visible("[data-testid=hint]"), "said before any submit");
    assert_eq!(w.text("[data-testid=hint]"), t.reason_required);
    assert_eq!(
        w.get("[data-testid=submit]")
            .get_attribute("aria-disabled")
            .as_deref(),
        Some("true")
    );

    w.all("[data-testid=reason-option]")[0].click();
    Executor::tick().await;
    assert!(!w.visible("[data-testid=hint]"));
    assert_eq!(
        w.get("[data-testid=submit]").get_attribute("aria-disabled"),
        None
    );
    assert_eq!(
        w.ctl
            .peek(|s| s.answers.get("reasons").unwrap().selected().to_vec()),
        vec![
            builtin().questions[1].options.as_ref().unwrap()[0]
                .id
                .clone()
        ]
    );

    // A comment instead of a tag also satisfies the rule.
    w.all("[data-testid=reason-option]")[0].click();
    Executor::tick().await;
    assert!(w.visible("[data-testid=hint]"));
    w.type_comment("排队太久").await;
    assert!(!w.visible("[data-testid=hint]"));
}

#[wasm_bindgen_test]
async fn the_counter_counts_characters_and_flags_an_overlong_comment() {
    let w = Mounted::open(Locale::ZhCn).await;
    let max = builtin().questions[2].text_max_chars() as usize;
    w.rate(5).await;
    w.type_comment("电费缴纳很方便😀").await;
    let counter = w.text("[data-testid=counter]");
    // 7 Han characters and one emoji (two UTF-16 units) are 8 characters.
    assert!(
        counter.starts_with(&["8/", &max.to_string()].concat()),
        "{counter}"
    );

    w.type_comment(&"好".repeat(max + 1)).await;
    assert!(
        w.get("[data-testid=counter]")
            .class_list()
            .contains("sw-over")
    );
    assert_eq!(
        w.text("[data-testid=hint]"),
        Strings::of(Locale::ZhCn).comment_too_long
    );
    assert_eq!(
        w.get("[data-testid=comment]")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    // Nothing typed is cut off: the customer decides what to remove.
    let area: HtmlTextAreaElement = w.get("[data-testid=comment]").unchecked_into();
    assert_eq!(area.value().chars().count(), max + 1);
}

#[wasm_bindgen_test]
async fn submit_without_a_rating_points_at_the_rating_and_sends_nothing() {
    let w = Mounted::open(Locale::ZhCn).await;
    w.get("[data-testid=submit]").click();
    Executor::tick().await;
    assert_eq!(
        w.text("[data-testid=hint]"),
        Strings::of(Locale::ZhCn).rating_required
    );
    assert_eq!(
        w.text("[data-testid=live]"),
        Strings::of(Locale::ZhCn).rating_required
    );
    assert_eq!(
        w.ctl.peek(|s| s.response_id.clone()),
        None,
        "nothing was sent"
    );
}

#[wasm_bindgen_test]
async fn a_double_click_sends_once_and_a_failure_saves_the_response_for_later() {
    let w = Mounted::open(Locale::En).await;
    let t = Strings::of(Locale::En);
    w.rate(1).await;
    w.type_comment("the page froze").await;
    let submit = w.get("[data-testid=submit]");
    submit.click();
    submit.click();
    Executor::tick().await;
    assert_eq!(submit.text_content().unwrap(), t.sending);
    assert_eq!(w.text("[data-testid=live]"), t.sending);
    let id = w.ctl.peek(|s| s.response_id.clone()).unwrap();

    // Nothing listens on the dead endpoint: the attempt fails within the 10 s timeout, and the
    // customer is told that the response is saved and will be sent later.
    let mut waited = 0;
    while !w.visible("[data-testid=thanks]") && waited < 100 {
        sleep(100).await;
        waited += 1;
    }
    assert_eq!(w.text("[data-testid=live]"), t.saved);
    assert_eq!(w.text("#sw-thanks"), t.saved);
    assert!(
        !w.visible("form"),
        "the answers are in the outbox, not in a form to retry"
    );
    let outbox = js_sys::Function::new_with_args("k", "return localStorage.getItem(k) || '';")
        .call1(
            &wasm_bindgen::JsValue::NULL,
            &survey_widget::contract::STORAGE_OUTBOX.into(),
        )
        .unwrap()
        .as_string()
        .unwrap();
    assert!(outbox.contains(&id), "{outbox}");
    assert!(outbox.contains("the page froze"), "{outbox}");
}

#[wasm_bindgen_test]
async fn it_never_closes_by_itself() {
    let w = Mounted::open(Locale::ZhCn).await;
    w.rate(3).await;
    sleep(3000).await;
    assert!(w.find("[role=dialog]").is_some());
    assert!(w.ctl.peek(|s| s.open));
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}
