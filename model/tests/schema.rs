//! The published JSON Schema in `docs/schema/` is generated from the Rust types, and this test
//! fails when the two drift. Regenerate with `UPDATE_SCHEMA=1 cargo test -p model --all-features`.
#![cfg(feature = "schema")]

use std::path::PathBuf;

#[test]
fn published_response_schema_matches_the_rust_types() {
    let schema = schemars::schema_for!(model::ResponseV1);
    let generated = serde_json::to_string_pretty(&schema).expect("schema serializes") + "\n";
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/schema/response-v1.schema.json");
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
