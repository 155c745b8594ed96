//! The published JSON Schemas in `docs/schema/` are generated from the Rust types, and these
//! tests fail when they drift. Regenerate with `UPDATE_SCHEMA=1 cargo test -p model --all-features`.
#![cfg(feature = "schema")]

use std::path::PathBuf;

/// Compares `schema` with the committed file `docs/schema/{file}`, or writes it there when
/// `UPDATE_SCHEMA` is set.
fn assert_published(schema: &schemars::Schema, file: &str) {
    let generated = serde_json::to_string_pretty(schema).expect("schema serializes") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../docs/schema")
        .join(file);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
    }
    let published = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        published == generated,
        "{} is out of date: run UPDATE_SCHEMA=1 cargo test -p model --all-features",
        path.display()
    );
}

#[test]
fn published_response_schema_matches_the_rust_types() {
    assert_published(
        &schemars::schema_for!(model::ResponseV1<model::response::SignedTransaction>),
        "response-v1.schema.json",
    );
}

#[test]
fn published_survey_schema_matches_the_rust_types() {
    assert_published(
        &schemars::schema_for!(model::Definition),
        "survey-v1.schema.json",
    );
}

/// The built-in survey is valid against the published schema's own rules as far as serde sees
/// them: every example in the docs parses.
#[test]
fn the_built_in_survey_file_is_a_valid_definition() {
    let def = model::Definition::from_json(model::definition::DEFAULT_SURVEY_JSON)
        .expect("model/surveys/default.json parses");
    assert!(def.check().errors.is_empty(), "{:?}", def.check());
    assert!(def.check().warnings.is_empty(), "{:?}", def.check());
}

/// The example in `docs/survey-definition.md` is a valid definition, so the docs cannot drift
/// from the rules.
#[test]
fn the_documented_example_is_a_valid_definition() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/survey-definition.md");
    let doc = std::fs::read_to_string(&path).expect("docs/survey-definition.md");
    let start = doc.find("```json\n").expect("a JSON example") + "```json\n".len();
    let end = start + doc[start..].find("```").expect("its end");
    let def = model::Definition::from_json(&doc[start..end]).expect("the example parses");
    let report = def.check();
    assert!(report.is_valid(), "{:?}", report.errors);
}
