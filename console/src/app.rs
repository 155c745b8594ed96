//! The Studio's shell: the header (name, UI language, sign out), the contexts every page uses,
//! and which page shows.

use leptos::prelude::*;
use model::{Definition, Locale};

use crate::{
    editor::Editor,
    i18n::{Strings, strings},
    sign_in::SignIn,
    survey_list::SurveyList,
    web,
};

/// The UI language, zh-CN by default.
#[derive(Clone, Copy)]
pub struct Ui(pub RwSignal<Locale>);

impl Ui {
    /// The context provided by [`App`].
    pub fn expect() -> Self {
        expect_context()
    }

    /// The strings of the current UI language (tracked).
    pub fn s(self) -> &'static Strings {
        strings(self.0.get())
    }
}

/// A UI string as a signal, for labels: `t(|s| s.points)`.
pub fn t(pick: Text) -> Signal<String> {
    let ui = Ui::expect();
    Signal::derive(move || pick(ui.s()).to_owned())
}

/// A UI string, chosen now and shown in whatever the UI language is then.
pub type Text = fn(&'static Strings) -> &'static str;

/// What the main area shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    /// The survey list.
    List,
    /// The editor on the current version of this survey.
    Edit(String),
    /// The editor on a survey not published yet.
    New(Box<Definition>),
}

/// Who is signed in and where they are.
#[derive(Clone, Copy)]
pub struct Session {
    /// The API token, sent as the bearer token; `None` before sign-in.
    pub token: RwSignal<Option<String>>,
    /// The page shown to a signed-in user.
    pub page: RwSignal<Page>,
    /// Why the user was signed out, shown on the sign-in page.
    pub notice: RwSignal<Option<Text>>,
}

impl Session {
    /// The context provided by [`App`].
    pub fn expect() -> Self {
        expect_context()
    }

    /// The token (untracked), or empty.
    pub fn bearer(self) -> String {
        self.token.get_untracked().unwrap_or_default()
    }

    /// Signs in with a token the collector accepted.
    pub fn sign_in(self, token: String) {
        web::save_token(Some(&token));
        self.notice.set(None);
        self.page.set(Page::List);
        self.token.set(Some(token));
    }

    /// Signs out, saying why when it was not the user's choice.
    pub fn sign_out(self, why: Option<Text>) {
        web::save_token(None);
        self.notice.set(why);
        self.token.set(None);
    }

    /// Signs out because the collector refused the token (401).
    pub fn expired(self) {
        self.sign_out(Some(|s| s.session_expired));
    }
}

/// The Studio.
#[component]
pub fn App() -> impl IntoView {
    let ui = Ui(RwSignal::new(Locale::ZhCn));
    let session = Session {
        token: RwSignal::new(web::saved_token()),
        page: RwSignal::new(Page::List),
        notice: RwSignal::new(None),
    };
    provide_context(ui);
    provide_context(session);
    Effect::new(move |_| {
        let locale = ui.0.get();
        web::set_lang(locale.tag());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(strings(locale).app_name);
        }
    });
    let switch = move |_| {
        ui.0.update(|l| {
            *l = match l {
                Locale::ZhCn => Locale::En,
                Locale::En => Locale::ZhCn,
            }
        });
    };
    let other_tag = move || match ui.0.get() {
        Locale::ZhCn => "en",
        Locale::En => "zh-CN",
    };
    view! {
        <header class="bar">
            <span class="brand">{move || ui.s().app_name}</span>
            <span class="spacer"></span>
            <button type="button" class="link" lang=other_tag aria-label=move || ui.s().switch_language
                data-testid="ui-language" on:click=switch>
                {move || ui.s().other_language}
            </button>
            <Show when=move || session.token.get().is_some()>
                <button type="button" class="link" data-testid="sign-out"
                    on:click=move |_| session.sign_out(None)>
                    {move || ui.s().sign_out}
                </button>
            </Show>
        </header>
        <main id="main">
            {move || match (session.token.get().is_some(), session.page.get()) {
                (false, _) => view! { <SignIn/> }.into_any(),
                (true, Page::List) => view! { <SurveyList/> }.into_any(),
                (true, Page::Edit(id)) => view! { <Editor id=id new=None/> }.into_any(),
                (true, Page::New(def)) => {
                    let id = def.id.clone();
                    view! { <Editor id=id new=Some(*def)/> }.into_any()
                }
            }}
        </main>
    }
}
