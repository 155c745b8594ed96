//! Reading a POST body as payload v1: the collector's first step on receipt, and what the fuzz
//! target (`fuzz/`) drives. Bytes become a [`ResponseV1<SignedTransaction>`] or one
//! [`BodyError`] that says what is wrong and where; [`ResponseV1::problems`] then checks the
//! rules.

use serde::de::DeserializeOwned;

use super::{FieldError, ResponseV1, SignedTransaction};

/// Why a body is not a payload v1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyError {
    /// Not JSON text: a syntax error, bytes that are not UTF-8, or data after the value.
    Malformed(String),
    /// JSON, but not the shape of the type: an unknown or missing field, a wrong type. `field`
    /// is its JSON path when known.
    Shape {
        /// The JSON path of the field, such as `answers.mood`.
        field: Option<String>,
        /// What is wrong, in English.
        message: String,
    },
    /// JSON of the right shape holding a value that no field may hold: a lone surrogate escape
    /// (`"\ud800"`), which is not a character. One entry per field.
    Invalid(Vec<FieldError>),
}

/// The message for a string that holds a lone surrogate escape.
pub const LONE_SURROGATE: &str =
    "must be Unicode text: a lone surrogate escape (\\ud800 to \\udfff) is not a character";

/// Reads `body` as a payload v1 as sent to the collector, its transaction token included.
pub fn read_payload(body: &[u8]) -> Result<ResponseV1<SignedTransaction>, BodyError> {
    from_json(body)
}

/// Reads `body` as one JSON value of type `T` and nothing after it.
///
/// A body that reads is read once, without tracking where the reader is: the path that
/// `serde_path_to_error` keeps copies every key it passes, which cost a payload some twenty
/// allocations. Only a body that fails is read again, with the path, for the error: the same
/// bytes give the same error.
pub fn from_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, BodyError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = match T::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(_) => {
            deserializer = serde_json::Deserializer::from_slice(body);
            serde_path_to_error::deserialize(&mut deserializer).map_err(body_error)?
        }
    };
    deserializer
        .end()
        .map_err(|err| BodyError::Malformed(without_position(&err)))?;
    Ok(value)
}

fn body_error(err: serde_path_to_error::Error<serde_json::Error>) -> BodyError {
    let path = err.path().to_string();
    // The root is ".", and an unknown empty key at the root is "": neither names a field.
    let field = (path != "." && !path.is_empty()).then_some(path);
    let inner = err.into_inner();
    let message = without_position(&inner);
    match inner.classify() {
        serde_json::error::Category::Data => BodyError::Shape { field, message },
        // serde_json reads `\ud800` as valid JSON syntax but refuses to make a string of it:
        // the value is wrong, not the text, and the path says which field.
        _ if is_lone_surrogate(&message) => match field {
            Some(field) => BodyError::Invalid(vec![FieldError::new(&field, LONE_SURROGATE)]),
            None => BodyError::Malformed(message),
        },
        _ => BodyError::Malformed(message),
    }
}

/// serde_json's messages for a high surrogate escape not followed by a low one, and for a low
/// one alone.
fn is_lone_surrogate(message: &str) -> bool {
    matches!(
        message,
        "lone leading surrogate in hex escape" | "unexpected end of hex escape"
    )
}

/// The message without serde_json's " at line L column C", meaningless to a client that built
/// the JSON with a serializer.
fn without_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    text.strip_suffix(&position).unwrap_or(&text).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample_json() -> String {
        serde_json::to_string(&crate::response::tests::sample()).unwrap()
    }

    #[test]
    fn a_payload_reads_back_with_its_token() {
        let text = sample_json().replace(
            r#""unit":"城东供电营业厅""#,
            r#""unit":"城东供电营业厅","token":"v1.k.1.m""#,
        );
        let (response, token) = read_payload(text.as_bytes()).unwrap().split_token();
        assert_eq!(response, crate::response::tests::sample());
        assert_eq!(token.as_deref(), Some("v1.k.1.m"));
    }

    #[test]
    fn syntax_shape_and_values_are_told_apart() {
        let trailing = format!("{} x", sample_json());
        for malformed in ["", "{", "{'a': 1}", "\"\\x\"", &trailing] {
            assert!(
                matches!(
                    read_payload(malformed.as_bytes()),
                    Err(BodyError::Malformed(_))
                ),
                "{malformed:?}"
            );
        }
        let mut bytes = sample_json().into_bytes();
        bytes.push(b' ');
        bytes.push(0xff);
        assert!(matches!(read_payload(&bytes), Err(BodyError::Malformed(_))));

        let unknown = sample_json().replace(r#""unit""#, r#""mood":1,"unit""#);
        let Err(BodyError::Shape { field, message }) = read_payload(unknown.as_bytes()) else {
            panic!("a shape error");
        };
        assert_eq!(field.as_deref(), Some("transaction.mood"));
        assert!(message.starts_with("unknown field `mood`"), "{message}");
        assert!(!message.contains(" at line "), "{message}");
    }

    /// Regression (found by `scripts/fuzz`, artifact crash-5df44d37): an unknown empty key at
    /// the root gave an error on the field "", which names nothing.
    #[test]
    fn an_unknown_empty_key_names_no_field() {
        for body in [r#"{"":1}"#, r#"{"response_id":"x","":{}}"#] {
            let Err(BodyError::Shape { field, message }) = read_payload(body.as_bytes()) else {
                panic!("a shape error for {body}");
            };
            assert_eq!(field, None, "{body}");
            assert!(message.starts_with("unknown field ``"), "{message}");
        }
        let body = sample_json().replace(r#""unit""#, r#""":1,"unit""#);
        let Err(BodyError::Shape { field, .. }) = read_payload(body.as_bytes()) else {
            panic!("a shape error");
        };
        assert_eq!(field.as_deref(), Some("transaction."));
    }

    #[test]
    fn lone_surrogates_name_their_field() {
        for (raw, field) in [
            (r#""\ud800""#, "answers.comment"),
            (r#""x\udc00y""#, "answers.comment"),
            (r#""\ud83d""#, "answers.comment"),
            (r#""\ud83d\u0041""#, "answers.comment"),
        ] {
            let text = sample_json().replace(r#""排队太久 <b>""#, raw);
            assert_eq!(
                read_payload(text.as_bytes()),
                Err(BodyError::Invalid(vec![FieldError::new(
                    field,
                    LONE_SURROGATE
                )])),
                "{raw}"
            );
        }
        let text = sample_json().replace(r#""PAY-2026-0001""#, r#""\udfff""#);
        assert_eq!(
            read_payload(text.as_bytes()),
            Err(BodyError::Invalid(vec![FieldError::new(
                "transaction.id",
                LONE_SURROGATE
            )]))
        );
        // A surrogate pair is one character outside the BMP, and reads as it.
        let text = sample_json().replace(r#""排队太久 <b>""#, r#""\ud83d\ude21""#);
        let response = read_payload(text.as_bytes()).unwrap();
        assert_eq!(response.answers.comment(), "😡");
    }
}
