//! Fuzzes what `POST /v1/responses` does with a body before storage, with the same functions
//! as the collector's handler: `model::response::ingest::read_payload` (bytes to payload v1, or one
//! precise error), `split_token`, then `ResponseV1::problems`. Run it with `scripts/fuzz`.
//!
//! Besides "never panics", it checks what the collector relies on:
//! - every error names what is wrong, and a field error names a field;
//! - a payload that passes the rules serializes (as the store writes it) and reads back equal,
//!   so that a stored response compares equal to its replay.

#![no_main]

use libfuzzer_sys::fuzz_target;
use model::response::ingest::{BodyError, read_payload};

fuzz_target!(|body: &[u8]| {
    match read_payload(body) {
        Err(BodyError::Malformed(message)) => assert!(!message.is_empty()),
        Err(BodyError::Shape { field, message }) => {
            assert!(!message.is_empty());
            assert!(field.is_none_or(|f| !f.is_empty()));
        }
        Err(BodyError::Invalid(fields)) => {
            assert!(!fields.is_empty());
            assert!(
                fields
                    .iter()
                    .all(|f| !f.field.is_empty() && !f.message.is_empty())
            );
        }
        Ok(received) => {
            let (response, _token) = received.split_token();
            let problems = response.problems();
            assert!(
                problems
                    .iter()
                    .all(|f| !f.field.is_empty() && !f.message.is_empty())
            );
            if problems.is_empty() {
                let stored = serde_json::to_vec(&response).expect("a valid payload serializes");
                let (read_back, token) = read_payload(&stored)
                    .expect("a stored payload reads back")
                    .split_token();
                assert_eq!(read_back, response);
                assert_eq!(token, None);
                assert!(read_back.problems().is_empty());
            }
        }
    }
});
