//! Payload v1: the JSON body the widget POSTs to the configured endpoint, and its validation.
//!
//! Public contract: every field name, type and meaning here is part of the POST body and of
//! `docs/schema/response-v1.schema.json`. Changing one is a breaking change; record it in
//! CHANGELOG.md.

#[cfg(feature = "server")]
pub mod ingest;

use serde::{Deserialize, Serialize};

use crate::{Answers, Locale, definition::Problem};

/// The collector's path for POSTing responses; hosts point `data-endpoint` at it.
///
/// Public contract: changing it is a breaking change; record it in CHANGELOG.md.
pub const RESPONSES_PATH: &str = "/v1/responses";

/// The header that carries `response_id`, so that a retried POST is recognisably the same
/// response. Public contract: the widget sends it and the collector checks it.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";

/// The longest transaction id, type or unit, in characters.
pub const MAX_TRANSACTION_FIELD_CHARS: usize = 128;
/// The longest `page` URL, in characters.
pub const MAX_PAGE_CHARS: usize = 2048;
/// The longest `widget_version`, in characters.
pub const MAX_WIDGET_VERSION_CHARS: usize = 32;

/// The longest `transaction.token`, in characters. A token is about 100 characters; see
/// `docs/signed-transactions.md`.
pub const MAX_TOKEN_CHARS: usize = 256;

/// One survey response, as POSTed by the widget (payload v1).
///
/// `T` is the transaction's type: [`Transaction`] (the default) for a response as it is checked
/// and stored, or [`SignedTransaction`] for the payload as it arrives at the collector, whose
/// transaction may carry the token of a signed transaction. [`ResponseV1::split_token`] turns
/// the second into the first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        title = "Survey response, payload v1",
        description = "One survey response, as POSTed by the widget (payload v1)."
    )
)]
#[serde(deny_unknown_fields)]
pub struct ResponseV1<T = Transaction> {
    /// A random UUID v4 chosen by the widget, lowercase. Also sent as the `Idempotency-Key`
    /// header, so a retried POST is recognisably the same response.
    #[cfg_attr(
        feature = "schema",
        schemars(regex(
            pattern = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
        ))
    )]
    pub response_id: String,
    /// Which survey, and which version of its wording, was answered.
    pub survey: SurveyRef,
    /// The transaction the customer rated (一事一评: one rating per transaction).
    pub transaction: T,
    /// The customer's answers.
    pub answers: Answers,
    /// The language the survey was shown in.
    pub locale: Locale,
    /// When the customer pressed submit: RFC 3339, in UTC.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "date-time")))]
    pub submitted_at: String,
    /// The host page's URL, without query string or fragment.
    #[cfg_attr(feature = "schema", schemars(extend("format" = "uri"), length(max = 2048), regex(pattern = r"^https?://[^?#]*$")))]
    pub page: String,
    /// The widget's version (semver).
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 32)))]
    pub widget_version: String,
}

/// Identifies a survey definition and the version of its wording.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyRef {
    /// The survey's stable id.
    pub id: String,
    /// The version of its wording.
    pub version: u32,
}

/// The transaction being rated, as the host page passes it to `SurveyWidget.open`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Transaction {
    /// The host's transaction or case number, 1 to 128 characters.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 128)))]
    pub id: String,
    /// The kind of transaction, such as `bill_payment`, 1 to 128 characters.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 128)))]
    pub kind: String,
    /// The service unit that handled it (reports group by this), 1 to 128 characters.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 128)))]
    pub unit: String,
}

/// The transaction as the collector receives it: [`Transaction`] plus, when the utility signs
/// transactions, the token its back end minted for them (`docs/signed-transactions.md`).
///
/// Public contract: `token` is part of the POST body. The collector verifies it and does not
/// store it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        rename = "Transaction",
        description = "The transaction being rated, as the host page passes it to `SurveyWidget.open`."
    )
)]
#[serde(deny_unknown_fields)]
pub struct SignedTransaction {
    /// The host's transaction or case number, 1 to 128 characters.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 128)))]
    pub id: String,
    /// The kind of transaction, such as `bill_payment`, 1 to 128 characters.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 128)))]
    pub kind: String,
    /// The service unit that handled it (reports group by this), 1 to 128 characters.
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 128)))]
    pub unit: String,
    /// The transaction token minted by the utility's back end, `v1.<kid>.<expiry>.<mac>`
    /// (`docs/signed-transactions.md`). Required when the collector is configured with keys;
    /// otherwise ignored. At most 256 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 256)))]
    pub token: Option<String>,
}

impl SignedTransaction {
    /// The transaction without its token, and the token.
    pub fn split(self) -> (Transaction, Option<String>) {
        let SignedTransaction {
            id,
            kind,
            unit,
            token,
        } = self;
        (Transaction { id, kind, unit }, token)
    }
}

impl From<Transaction> for SignedTransaction {
    fn from(transaction: Transaction) -> SignedTransaction {
        let Transaction { id, kind, unit } = transaction;
        SignedTransaction {
            id,
            kind,
            unit,
            token: None,
        }
    }
}

impl<T> ResponseV1<T> {
    /// The same response with its transaction changed by `f`.
    pub fn map_transaction<U>(self, f: impl FnOnce(T) -> U) -> ResponseV1<U> {
        ResponseV1 {
            response_id: self.response_id,
            survey: self.survey,
            transaction: f(self.transaction),
            answers: self.answers,
            locale: self.locale,
            submitted_at: self.submitted_at,
            page: self.page,
            widget_version: self.widget_version,
        }
    }
}

impl ResponseV1<SignedTransaction> {
    /// The response as it is checked and stored, and the transaction token it carried.
    pub fn split_token(self) -> (ResponseV1, Option<String>) {
        let mut token = None;
        let response = self.map_transaction(|signed| {
            let (transaction, t) = signed.split();
            token = t;
            transaction
        });
        (response, token)
    }
}

/// One thing wrong with a payload: where, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The JSON path of the field, such as `transaction.id`.
    pub field: String,
    /// What is wrong, in English.
    pub message: String,
    /// Which rule of a survey definition the field breaks, with its parameters, so that the
    /// Studio can say it in its UI language ([`FieldError::message_in`]); `None` for other
    /// errors. Not serialized: the JSON shape stays `{field, message}`. Boxed, so that a
    /// `Result<_, FieldError>` stays small.
    #[serde(skip)]
    pub problem: Option<Box<Problem>>,
}

impl FieldError {
    /// A field error.
    pub fn new(field: &str, message: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
            problem: None,
        }
    }

    /// A field error that breaks a rule of a survey definition; its message is the rule's
    /// English text.
    pub fn of(field: &str, problem: Problem) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message: problem.en(),
            problem: Some(Box::new(problem)),
        }
    }

    /// The message in `locale`: the rule's text when the error names one, else the English
    /// message.
    pub fn message_in(&self, locale: Locale) -> String {
        match &self.problem {
            Some(problem) => problem.text(locale),
            None => self.message.clone(),
        }
    }

    /// `field: message`, or the message alone for the whole document (an empty field), as a
    /// log line or console error shows it.
    pub fn text(&self) -> String {
        if self.field.is_empty() {
            self.message.clone()
        } else {
            [self.field.as_str(), ": ", &self.message].concat()
        }
    }
}

/// The problem with a string that holds U+0000.
pub const NUL_MESSAGE: &str = "must not contain U+0000 (NUL)";

fn check_text(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if value.trim().is_empty() {
        errors.push(FieldError::new(field, "must not be empty"));
    } else if crate::answers::char_count(value) > max {
        errors.push(FieldError::new(field, "is too long"));
    }
    check_no_nul(errors, field, value);
}

/// U+0000 is refused in every string of a payload: PostgreSQL `TEXT` cannot hold it, and
/// refusing it everywhere keeps SQLite and PostgreSQL alike (never a 500 on one of them).
fn check_no_nul(errors: &mut Vec<FieldError>, field: &str, value: &str) {
    if value.contains('\0') {
        errors.push(FieldError::new(field, NUL_MESSAGE));
    }
}

fn check_transaction(errors: &mut Vec<FieldError>, id: &str, kind: &str, unit: &str) {
    let max = MAX_TRANSACTION_FIELD_CHARS;
    check_text(errors, "transaction.id", id, max);
    check_text(errors, "transaction.type", kind, max);
    check_text(errors, "transaction.unit", unit, max);
}

impl SignedTransaction {
    /// Every problem with this transaction and the form of its token (present tokens must not
    /// be blank and hold at most [`MAX_TOKEN_CHARS`] characters). Empty means valid. The widget
    /// checks this when the host calls `open`; whether a token is genuine only the collector,
    /// which holds the keys, can tell.
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_transaction(&mut errors, &self.id, &self.kind, &self.unit);
        if let Some(token) = &self.token {
            check_text(&mut errors, "transaction.token", token, MAX_TOKEN_CHARS);
        }
        errors
    }
}

impl Transaction {
    /// Every problem with this transaction. Empty means valid. The collector checks this on
    /// receipt (the widget checks [`SignedTransaction::problems`] when the host calls `open`).
    pub fn problems(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_transaction(&mut errors, &self.id, &self.kind, &self.unit);
        errors
    }
}

/// Whether `s` is a UUID v4 in canonical lowercase form.
pub fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// Strips the query string and fragment from a URL, as the payload's `page` requires.
pub fn page_url(href: &str) -> &str {
    href.split(['?', '#']).next().unwrap_or_default()
}

#[cfg(feature = "server")]
fn is_utc_rfc3339(s: &str) -> bool {
    use time::{OffsetDateTime, format_description::well_known::Rfc3339};
    OffsetDateTime::parse(s, &Rfc3339).is_ok_and(|t| t.offset().is_utc())
}

impl ResponseV1 {
    /// Every problem with this payload, if it answers the built-in survey (`default`, 1);
    /// any other survey is a problem. Empty means it may be stored. A collector that stores
    /// definitions calls [`ResponseV1::problems_against`] with the one the payload names.
    #[cfg(feature = "server")]
    pub fn problems(&self) -> Vec<FieldError> {
        let builtin = crate::definition::default_definition();
        let mut errors = self.problems_against(builtin);
        if self.survey != builtin.survey_ref() {
            // Answers to an unknown survey cannot be checked.
            errors.retain(|e| !e.field.starts_with("answers."));
            for error in &mut errors {
                if error.field == "survey" {
                    error.message = "is not a known survey id and version".to_owned();
                }
            }
        }
        errors
    }

    /// Every problem with this payload as a response to `definition`, which must be the
    /// survey and version it names (`survey`). Empty means it may be stored.
    #[cfg(feature = "server")]
    pub fn problems_against(&self, definition: &crate::definition::Definition) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if !is_uuid_v4(&self.response_id) {
            errors.push(FieldError::new(
                "response_id",
                "must be a lowercase UUID v4",
            ));
        }
        errors.extend(self.transaction.problems());
        // Compared field by field: `survey_ref()` would copy the id on every response.
        if self.survey.id != definition.id || self.survey.version != definition.version {
            errors.push(FieldError::new(
                "survey",
                "does not name the survey version the answers were checked against",
            ));
        }
        errors.extend(
            definition
                .answer_problems(&self.answers)
                .iter()
                .map(crate::definition::AnswerProblem::to_field_error),
        );
        if !is_utc_rfc3339(&self.submitted_at) {
            errors.push(FieldError::new(
                "submitted_at",
                "must be an RFC 3339 time in UTC",
            ));
        }
        let page = &self.page;
        if !(page.starts_with("https://") || page.starts_with("http://")) {
            errors.push(FieldError::new("page", "must be an http(s) URL"));
        } else if page_url(page) != page {
            errors.push(FieldError::new(
                "page",
                "must not contain a query or fragment",
            ));
        } else if crate::answers::char_count(page) > MAX_PAGE_CHARS {
            errors.push(FieldError::new("page", "is too long"));
        }
        check_text(
            &mut errors,
            "widget_version",
            &self.widget_version,
            MAX_WIDGET_VERSION_CHARS,
        );
        // The strings not checked above; a test walks every string of the payload.
        check_no_nul(&mut errors, "response_id", &self.response_id);
        check_no_nul(&mut errors, "survey.id", &self.survey.id);
        for (id, answer) in self.answers.0.iter() {
            // The field's name is built only for an answer that holds a NUL: on every valid
            // response this loop allocates nothing.
            let has_nul = |text: &String| text.contains('\0');
            let any_nul = match answer {
                crate::Answer::Number(_) => false,
                crate::Answer::Text(text) => has_nul(text),
                crate::Answer::Choices(ids) => ids.iter().any(has_nul),
                crate::Answer::ChoicesWithOther(choices) => {
                    has_nul(&choices.other) || choices.selected.iter().any(has_nul)
                }
            };
            if !any_nul {
                continue;
            }
            let field = format!("answers.{id}");
            let each = |errors: &mut Vec<FieldError>, field: &str, ids: &[String]| {
                for (index, id) in ids.iter().enumerate() {
                    check_no_nul(errors, &format!("{field}[{index}]"), id);
                }
            };
            match answer {
                crate::Answer::Number(_) => {}
                crate::Answer::Text(text) => check_no_nul(&mut errors, &field, text),
                crate::Answer::Choices(ids) => each(&mut errors, &field, ids),
                crate::Answer::ChoicesWithOther(choices) => {
                    each(&mut errors, &format!("{field}.selected"), &choices.selected);
                    check_no_nul(&mut errors, &format!("{field}.other"), &choices.other);
                }
            }
        }
        check_no_nul(&mut errors, "submitted_at", &self.submitted_at);
        check_no_nul(&mut errors, "page", &self.page);
        errors
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> ResponseV1 {
        ResponseV1 {
            response_id: "0f8fad5b-d9cb-469f-a165-70867728950e".to_owned(),
            survey: crate::definition::default_definition().survey_ref(),
            transaction: Transaction {
                id: "PAY-2026-0001".to_owned(),
                kind: "bill_payment".to_owned(),
                unit: "城东供电营业厅".to_owned(),
            },
            answers: serde_json::from_str(
                r#"{"satisfaction": 2, "reasons": ["long_wait"], "comment": "排队太久 <b>"}"#,
            )
            .unwrap(),
            locale: Locale::ZhCn,
            submitted_at: "2026-11-27T08:30:00.123Z".to_owned(),
            page: "https://95598.example.cn/hall/pay".to_owned(),
            widget_version: "0.1.0".to_owned(),
        }
    }

    #[test]
    fn round_trips_with_the_documented_field_names() {
        let r = sample();
        let value = serde_json::to_value(&r).unwrap();
        assert_eq!(value["transaction"]["type"], "bill_payment");
        assert_eq!(value["survey"]["id"], "default");
        assert_eq!(value["locale"], "zh-CN");
        assert_eq!(serde_json::from_value::<ResponseV1>(value).unwrap(), r);
    }

    #[test]
    fn a_signed_transaction_checks_the_form_of_its_token() {
        let mut t = SignedTransaction::from(sample().transaction);
        assert!(t.problems().is_empty(), "no token is fine");
        t.token = Some("v1.k.1.mac".to_owned());
        assert!(t.problems().is_empty());
        let fields = |t: &SignedTransaction| -> Vec<String> {
            t.problems().into_iter().map(|e| e.field).collect()
        };
        t.token = Some(" ".to_owned());
        assert_eq!(fields(&t), ["transaction.token"]);
        t.token = Some("x".repeat(MAX_TOKEN_CHARS + 1));
        assert_eq!(fields(&t), ["transaction.token"]);
        t.token = Some("x".repeat(MAX_TOKEN_CHARS));
        t.id = String::new();
        assert_eq!(fields(&t), ["transaction.id"]);
    }

    #[test]
    fn a_token_travels_in_the_transaction_and_is_split_off() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["transaction"]["token"] = serde_json::json!("v1.k.1.mac");
        let signed: ResponseV1<SignedTransaction> = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(serde_json::to_value(&signed).unwrap(), value);
        assert_eq!(
            signed.split_token(),
            (sample(), Some("v1.k.1.mac".to_owned()))
        );
        // Without a token, a signed transaction serializes exactly as a plain one.
        let plain = sample().map_transaction(SignedTransaction::from);
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            serde_json::to_value(sample()).unwrap()
        );
        assert_eq!(plain.split_token(), (sample(), None));
        // A plain transaction has no token field.
        assert!(serde_json::from_value::<ResponseV1>(value).is_err());
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<ResponseV1>(value).is_err());
    }

    #[test]
    fn uuid_v4_is_checked_strictly() {
        assert!(is_uuid_v4("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(!is_uuid_v4("0F8FAD5B-D9CB-469F-A165-70867728950E"));
        assert!(
            !is_uuid_v4("0f8fad5b-d9cb-169f-a165-70867728950e"),
            "version 1"
        );
        assert!(
            !is_uuid_v4("0f8fad5b-d9cb-469f-c165-70867728950e"),
            "variant"
        );
        assert!(!is_uuid_v4("0f8fad5bd9cb469fa16570867728950e"));
        assert!(!is_uuid_v4(""));
    }

    #[test]
    fn page_url_drops_query_and_fragment() {
        assert_eq!(page_url("https://a.cn/p?x=1#y"), "https://a.cn/p");
        assert_eq!(page_url("https://a.cn/p#y?x"), "https://a.cn/p");
        assert_eq!(page_url("https://a.cn/p"), "https://a.cn/p");
    }

    #[test]
    fn transaction_fields_are_required_and_bounded() {
        let mut t = sample().transaction;
        assert!(t.problems().is_empty());
        t.id = " ".to_owned();
        t.unit = "x".repeat(MAX_TRANSACTION_FIELD_CHARS + 1);
        let fields: Vec<_> = t.problems().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["transaction.id", "transaction.unit"]);
    }

    #[cfg(feature = "server")]
    #[test]
    fn full_validation_names_every_bad_field() {
        assert_eq!(sample().problems(), vec![]);
        let mut r = sample();
        r.response_id = "not-a-uuid".to_owned();
        r.survey.version = 99;
        r.submitted_at = "2026-11-27T16:30:00+08:00".to_owned();
        r.page = "https://a.cn/p?token=secret".to_owned();
        r.widget_version = String::new();
        let fields: Vec<_> = r.problems().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "response_id",
                "survey",
                "submitted_at",
                "page",
                "widget_version"
            ]
        );

        let mut r = sample();
        r.answers.0.remove("reasons");
        r.answers.0.remove("comment");
        let problems = r.problems();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "answers.reasons");
        assert!(problems[0].message.contains("'comment'"), "{problems:?}");
    }

    /// Every string leaf of `value`, by JSON path (`a.b[0]`).
    #[cfg(feature = "server")]
    fn string_paths(value: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        let join = |key: &str| match path {
            "" => key.to_owned(),
            _ => format!("{path}.{key}"),
        };
        match value {
            serde_json::Value::String(_) => out.push(path.to_owned()),
            serde_json::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    string_paths(item, &format!("{path}[{index}]"), out);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    string_paths(item, &join(key), out);
                }
            }
            _ => {}
        }
    }

    /// Regression guard: the NUL rule was the collector's (`store::unstorable_fields`); now it is
    /// here, and it must cover every string of the payload, including fields added later.
    #[cfg(feature = "server")]
    #[test]
    fn nul_is_refused_in_every_string_naming_its_field() {
        let mut r = sample();
        r.answers
            .choices_mut("reasons")
            .push("poor_attitude".to_owned());
        let mut with_other = sample();
        with_other.answers.set(
            "reasons",
            crate::Answer::ChoicesWithOther(crate::answers::ChoicesWithOther {
                selected: vec!["long_wait".to_owned()],
                other: "停车难".to_owned(),
            }),
        );
        for r in [r, with_other] {
            nul_is_refused_in_every_string_of(&r);
        }
        let mut r = sample();
        r.transaction.id = "\0".to_owned();
        assert_eq!(
            r.transaction.problems(),
            vec![FieldError::new("transaction.id", NUL_MESSAGE)],
            "the widget refuses it in open() too"
        );
    }

    #[cfg(feature = "server")]
    fn nul_is_refused_in_every_string_of(r: &ResponseV1) {
        let value = serde_json::to_value(r).unwrap();
        let mut paths = Vec::new();
        string_paths(&value, "", &mut paths);
        assert!(paths.len() >= 11, "{paths:?}");
        let mut checked = 0;
        for path in &paths {
            let mut poisoned = value.clone();
            let pointer = format!("/{}", path.replace(['.', '['], "/").replace(']', ""));
            let leaf = poisoned.pointer_mut(&pointer).unwrap();
            *leaf = serde_json::Value::String(format!("{}\0", leaf.as_str().unwrap()));
            // An enum (`locale`) cannot hold it at all: the body is refused as it is read.
            let Ok(poisoned) = serde_json::from_value::<ResponseV1>(poisoned) else {
                continue;
            };
            let problems = poisoned.problems();
            assert!(
                problems.contains(&FieldError::new(path, NUL_MESSAGE)),
                "{path}: {problems:?}"
            );
            checked += 1;
        }
        assert_eq!(checked, paths.len() - 1, "every string but the locale");
    }

    #[cfg(feature = "server")]
    #[test]
    fn submitted_at_must_be_utc_rfc3339() {
        for ok in ["2026-11-27T08:30:00Z", "2026-11-27T08:30:00.5+00:00"] {
            assert!(is_utc_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2026-11-27",
            "2026-02-30T08:30:00Z",
            "2026-11-27T08:30:00+08:00",
            "yesterday",
        ] {
            assert!(!is_utc_rfc3339(bad), "{bad}");
        }
    }
}
