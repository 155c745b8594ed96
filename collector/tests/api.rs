//! Handler tests: the whole app, called with `oneshot`, over a real database. Each test runs
//! twice: on a SQLite file in a temp dir, and on a fresh PostgreSQL database (see
//! `common`; PostgreSQL needs `SURVEY_TEST_DATABASE_URL`, which `scripts/test` sets).

mod common;

use std::path::{Path, PathBuf};

use axum::{
    Router,
    body::Body,
    http::{Method, Request, StatusCode, header},
    response::Response,
};
use collector::token::{self, Claims, TransactionKey};
use collector::{AllowedOrigins, AppState, BODY_LIMIT, Config, Database, Store, app, routes};
use common::{Backend, TestDatabase, backend, json_body};
use model::response::SignedTransaction;
use model::{
    Answer, Answers, FieldError, Locale, ResponseV1, Transaction, definition::default_definition,
};
use serde_json::{Value, json};
use sqlx::Row;
use tower::ServiceExt;

const POST_PATH: &str = routes::responses::RESPONSES_PATH;
const DEMO_PATH: &str = routes::demo::DEMO_RESPONSES_PATH;

/// A collector over a fresh database (of the test's backend) and static directory.
struct Harness {
    db: TestDatabase,
    store: Store,
    app: Router,
}

impl Harness {
    async fn new() -> Harness {
        Harness::with(|_| {}).await
    }

    async fn with(configure: impl FnOnce(&mut Config)) -> Harness {
        let db = TestDatabase::new().await;
        let static_dir = db.dir.path().join("dist");
        std::fs::create_dir(&static_dir).expect("static dir");
        let (database, database_url) = match &db.database {
            Database::Sqlite(path) => (path.clone(), None),
            Database::Postgres(url) => (db.dir.path().join("unused.sqlite"), Some(url.clone())),
        };
        let mut config = Config {
            listen: "127.0.0.1:0".parse().expect("address"),
            database,
            database_url,
            static_dir,
            demo: false,
            allowed_origins: AllowedOrigins::Any,
            rate_limit: 100,
            database_timeout: 5,
            retention_days: None,
            mask_personal_data: true,
            transaction_keys: Vec::new(),
            header_read_timeout: collector::server::HEADER_READ_TIMEOUT,
            request_timeout: collector::REQUEST_TIMEOUT,
        };
        configure(&mut config);
        assert_eq!(config.database(), db.database);
        let store = Store::open(&config.database()).await.expect("open store");
        let app = app(AppState::new(store.clone(), config));
        Harness { db, store, app }
    }

    fn static_dir(&self) -> PathBuf {
        self.db.dir.path().join("dist")
    }

    async fn send(&self, request: Request<Body>) -> Response {
        self.app.clone().oneshot(request).await.expect("infallible")
    }

    async fn post(&self, payload: &ResponseV1) -> Response {
        self.send(post_json(serde_json::to_vec(payload).expect("serialize")))
            .await
    }

    async fn get(&self, uri: &str) -> Response {
        self.send(Request::get(uri).body(Body::empty()).expect("request"))
            .await
    }

    async fn row_count(&self) -> i64 {
        self.db.row_count().await
    }
}

/// A valid payload: a bad rating of the default survey with its first reason tag. `n` makes
/// the response and transaction ids unique.
fn valid(n: u8) -> ResponseV1 {
    let payload = ResponseV1 {
        response_id: format!("0f8fad5b-d9cb-469f-a165-7086772895{n:02x}"),
        survey: default_definition().survey_ref(),
        transaction: Transaction {
            id: format!("PAY-2026-{n:04}"),
            kind: "bill_payment".to_owned(),
            unit: "城东供电营业厅".to_owned(),
        },
        answers: Answers::builtin(2, &["long_wait"], "排队太久 <b>"),
        locale: Locale::ZhCn,
        submitted_at: "2026-11-27T08:30:00.123Z".to_owned(),
        page: "https://95598.example.cn/hall/pay".to_owned(),
        widget_version: "0.1.0".to_owned(),
    };
    assert_eq!(payload.problems(), vec![], "the fixture must be valid");
    payload
}

fn post_json(body: impl Into<Body>) -> Request<Body> {
    Request::post(POST_PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("request")
}

/// The whole body of `response`.
async fn body_of(response: Response) -> Vec<u8> {
    use http_body_util::BodyExt;
    let body = response.into_body().collect().await.expect("body");
    body.to_bytes().to_vec()
}

fn header_of<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

/// Asserts the API's error shape with `code`, and returns its field names.
async fn error_fields(response: Response, status: StatusCode, code: &str) -> Vec<String> {
    assert_eq!(response.status(), status);
    assert_eq!(
        header_of(&response, "content-type"),
        Some("application/json")
    );
    let body = json_body(response).await;
    assert_eq!(body["error"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    let fields = body["fields"].as_array().expect("fields array");
    fields
        .iter()
        .map(|f| {
            assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()), "{f}");
            f["field"].as_str().expect("field name").to_owned()
        })
        .collect()
}

on_both! {
#[tokio::test]
async fn a_valid_response_is_created_and_stored_field_by_field() {
    let h = Harness::new().await;
    let payload = valid(1);
    let response = h.post(&payload).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        json_body(response).await,
        json!({ "response_id": payload.response_id })
    );

    let pool = h.db.pool().await;
    let row = sqlx::query("SELECT * FROM responses")
        .fetch_one(&pool)
        .await
        .expect("one row");
    let text = |column: &str| row.get::<String, _>(column);
    assert_eq!(text("response_id"), payload.response_id);
    assert_eq!(text("survey_id"), default_definition().id);
    assert_eq!(
        row.get::<i64, _>("survey_version"),
        i64::from(default_definition().version)
    );
    assert_eq!(text("transaction_id"), payload.transaction.id);
    assert_eq!(text("transaction_type"), payload.transaction.kind);
    assert_eq!(text("transaction_unit"), payload.transaction.unit);
    assert_eq!(
        row.get::<i64, _>("satisfaction"),
        payload.answers.satisfaction().expect("a score")
    );
    let reasons: Vec<String> = serde_json::from_str(&text("reasons")).expect("reasons JSON");
    assert_eq!(reasons, payload.answers.reasons());
    assert_eq!(text("comment"), payload.answers.comment());
    assert_eq!(text("locale"), Locale::ZhCn.tag());
    assert_eq!(text("submitted_at"), payload.submitted_at);
    assert_eq!(text("page"), payload.page);
    assert_eq!(text("widget_version"), payload.widget_version);
    let stored: ResponseV1 = serde_json::from_str(&text("payload")).expect("payload JSON");
    assert_eq!(stored, payload);

    let received_at = text("received_at");
    let parsed =
        time::OffsetDateTime::parse(&received_at, &time::format_description::well_known::Rfc3339)
            .expect("received_at is RFC 3339");
    assert!(parsed.offset().is_utc() && received_at.ends_with('Z'));
    let age = time::OffsetDateTime::now_utc() - parsed;
    assert!(age.whole_seconds() < 60, "received just now: {received_at}");
}
}

on_both! {
#[tokio::test]
async fn the_same_response_again_answers_200_and_stores_nothing_new() {
    let h = Harness::new().await;
    let payload = valid(1);
    assert_eq!(h.post(&payload).await.status(), StatusCode::CREATED);
    let again = h.post(&payload).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        json_body(again).await,
        json!({ "response_id": payload.response_id })
    );
    assert_eq!(h.row_count().await, 1);
}
}

/// The comment with a phone number and an ID number (grouped, and with a check X), and the
/// same comment as stored with masking on.
const PERSONAL_COMMENT: &str = "请回电 13812345678 或 139-1234-5678，身份证 11010519491231002X";
const MASKED_COMMENT: &str = "请回电 138****5678 或 139-****-5678，身份证 110105********002X";

/// A valid payload whose comment holds personal data, and whose other text fields hold digits
/// that would be masked in a comment.
fn with_personal_data(n: u8) -> ResponseV1 {
    let mut payload = valid(n);
    *payload.answers.text_mut("comment") = PERSONAL_COMMENT.to_owned();
    payload.transaction.id = format!("PAY-13812345678-{n}");
    assert_eq!(payload.problems(), vec![], "the fixture must be valid");
    payload
}

/// The stored `comment` column and the comment in the stored `payload` column.
async fn stored_comments(h: &Harness) -> (String, String) {
    let pool = h.db.pool().await;
    let (comment, payload): (String, String) =
        sqlx::query_as("SELECT comment, payload FROM responses")
            .fetch_one(&pool)
            .await
            .expect("one row");
    let payload: ResponseV1 = serde_json::from_str(&payload).expect("payload JSON");
    (comment, payload.answers.comment().to_owned())
}

on_both! {
#[tokio::test]
async fn phone_and_id_numbers_in_the_comment_are_stored_masked() {
    let h = Harness::new().await;
    let payload = with_personal_data(1);
    assert_eq!(h.post(&payload).await.status(), StatusCode::CREATED);
    let (comment, payload_comment) = stored_comments(&h).await;
    assert_eq!(comment, MASKED_COMMENT);
    assert_eq!(payload_comment, MASKED_COMMENT);

    // Only the comment is masked: the rating and the other fields are stored as sent.
    let pool = h.db.pool().await;
    let (transaction_id, satisfaction): (String, i64) =
        sqlx::query_as("SELECT transaction_id, satisfaction FROM responses")
            .fetch_one(&pool)
            .await
            .expect("one row");
    assert_eq!(transaction_id, payload.transaction.id);
    assert_eq!(satisfaction, payload.answers.satisfaction().expect("a score"));
}
}

on_both! {
#[tokio::test]
async fn a_replay_of_a_comment_with_personal_data_answers_200() {
    // Regression guard: the stored comment is masked, so comparing it with the unmasked replay
    // would call the retry a different response (422 response_id_reused).
    let h = Harness::new().await;
    let payload = with_personal_data(1);
    assert_eq!(h.post(&payload).await.status(), StatusCode::CREATED);
    let again = h.post(&payload).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(
        json_body(again).await,
        json!({ "response_id": payload.response_id })
    );
    assert_eq!(h.row_count().await, 1);
    assert_eq!(stored_comments(&h).await.0, MASKED_COMMENT);

    // A different comment under the same response_id is still a different response.
    let mut changed = payload.clone();
    changed.answers.text_mut("comment").push_str(" 还有");
    let fields = error_fields(
        h.post(&changed).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "response_id_reused",
    )
    .await;
    assert_eq!(fields, ["response_id"]);
}
}

on_both! {
#[tokio::test]
async fn with_masking_off_the_comment_is_stored_as_sent() {
    let h = Harness::with(|config| config.mask_personal_data = false).await;
    let payload = with_personal_data(1);
    assert_eq!(h.post(&payload).await.status(), StatusCode::CREATED);
    assert_eq!(
        stored_comments(&h).await,
        (PERSONAL_COMMENT.to_owned(), PERSONAL_COMMENT.to_owned())
    );
    assert_eq!(h.post(&payload).await.status(), StatusCode::OK);
}
}

on_both! {
#[tokio::test]
async fn an_invalid_payload_answers_422_naming_every_bad_field() {
    let h = Harness::new().await;

    let mut bad = valid(1);
    bad.response_id = bad.response_id.to_uppercase();
    bad.transaction.id = " ".to_owned();
    bad.transaction.unit = String::new();
    bad.survey.version += 1;
    bad.submitted_at = "2026-11-27T16:30:00+08:00".to_owned();
    bad.page = format!("{}?token=secret", bad.page);
    bad.widget_version = String::new();
    let fields = error_fields(
        h.post(&bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_payload",
    )
    .await;
    assert_eq!(
        fields,
        [
            "response_id",
            "transaction.id",
            "transaction.unit",
            "survey.version",
            "submitted_at",
            "page",
            "widget_version"
        ]
    );

    // The answers are checked against the survey the payload names.
    let mut bad = valid(2);
    let first_reason = bad.answers.reasons()[0].clone();
    bad.answers
        .set("satisfaction", Answer::Number(6));
    bad.answers.choices_mut("reasons").push(first_reason);
    *bad.answers.text_mut("comment") = "好".repeat(501);
    let expected: Vec<String> = bad.problems().into_iter().map(|e| e.field).collect();
    let fields = error_fields(
        h.post(&bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_payload",
    )
    .await;
    assert_eq!(fields, expected);
    assert_eq!(
        fields,
        ["answers.satisfaction", "answers.reasons", "answers.comment"]
    );

    // A bad rating with neither a reason nor a comment.
    let mut bad = valid(3);
    bad.answers.choices_mut("reasons").clear();
    bad.answers.text_mut("comment").clear();
    let response = h.post(&bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(response).await;
    let expected = serde_json::to_value(bad.problems()).expect("field errors");
    assert_eq!(body["fields"], expected);

    assert_eq!(h.row_count().await, 0);
}
}

on_both! {
#[tokio::test]
async fn malformed_json_answers_400() {
    let h = Harness::new().await;
    for body in ["", "{", r#"{"response_id": "x","#, "not json", "{'a': 1}"] {
        let fields = error_fields(
            h.send(post_json(body)).await,
            StatusCode::BAD_REQUEST,
            "malformed_json",
        )
        .await;
        assert_eq!(fields, Vec::<String>::new(), "{body:?}");
    }
}
}

on_both! {
#[tokio::test]
async fn a_body_not_sent_as_json_or_plain_text_answers_415() {
    let h = Harness::new().await;
    let body = serde_json::to_vec(&valid(1)).expect("serialize");
    for content_type in [
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("text/plain; charset=iso-8859-1"),
        Some("application/xml"),
        None,
    ] {
        let mut request = Request::post(POST_PATH);
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let request = request.body(Body::from(body.clone())).expect("request");
        error_fields(
            h.send(request).await,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_content_type",
        )
        .await;
    }
    assert_eq!(h.row_count().await, 0);
}
}

on_both! {
#[tokio::test]
async fn json_sent_as_json_or_as_plain_text_is_accepted() {
    // text/plain is what sendBeacon and a preflight-free fetch(keepalive) send.
    let h = Harness::new().await;
    for (n, content_type) in [
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "text/plain;charset=UTF-8",
    ]
    .into_iter()
    .enumerate()
    {
        let payload = valid(u8::try_from(n).expect("small"));
        let request = Request::post(POST_PATH)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(serde_json::to_vec(&payload).expect("serialize")))
            .expect("request");
        let response = h.send(request).await;
        assert_eq!(response.status(), StatusCode::CREATED, "{content_type}");
    }
    assert_eq!(h.row_count().await, 4);

    // Plain text that is not JSON is still malformed JSON, not a 415.
    let request = Request::post(POST_PATH)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("hello"))
        .expect("request");
    error_fields(
        h.send(request).await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
}
}

on_both! {
#[tokio::test]
async fn an_unknown_field_or_a_wrong_type_is_refused_naming_the_field() {
    let h = Harness::new().await;
    let payload = serde_json::to_value(valid(1)).expect("serialize");

    let mut extra = payload.clone();
    extra["transaction"]["mood"] = json!("happy");
    let fields = error_fields(
        h.send(post_json(extra.to_string())).await,
        StatusCode::BAD_REQUEST,
        "invalid_json",
    )
    .await;
    assert_eq!(fields, ["transaction.mood"]);

    let mut wrong_shape = payload.clone();
    wrong_shape["answers"]["satisfaction"] = json!(null);
    let fields = error_fields(
        h.send(post_json(wrong_shape.to_string())).await,
        StatusCode::BAD_REQUEST,
        "invalid_json",
    )
    .await;
    assert_eq!(fields, ["answers.satisfaction"]);

    // Answers are keyed by question id: an unknown question or an answer of the wrong type
    // for its question breaks the survey's rules (422), not the payload's shape.
    let mut unknown_question = payload.clone();
    unknown_question["answers"]["mood"] = json!("happy");
    unknown_question["answers"]["satisfaction"] = json!("5");
    let fields = error_fields(
        h.send(post_json(unknown_question.to_string())).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_payload",
    )
    .await;
    // "5" is no score, so the reasons (shown for a score ≤ 2) were not asked either.
    assert_eq!(
        fields,
        ["answers.satisfaction", "answers.reasons", "answers.mood"]
    );

    let mut missing = payload;
    missing
        .as_object_mut()
        .expect("object")
        .remove("transaction");
    let response = h.send(post_json(missing.to_string())).await;
    error_fields(response, StatusCode::BAD_REQUEST, "invalid_json").await;

    assert_eq!(h.row_count().await, 0);
}
}

on_both! {
#[tokio::test]
async fn an_idempotency_key_must_equal_the_response_id() {
    let h = Harness::new().await;
    let payload = valid(1);
    let request = |key: &str| {
        Request::post(POST_PATH)
            .header(header::CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", key)
            .body(Body::from(serde_json::to_vec(&payload).expect("serialize")))
            .expect("request")
    };

    let response = h.send(request(&valid(2).response_id)).await;
    let body = json_body(response).await;
    assert_eq!(body["error"], "idempotency_key_mismatch");
    assert_eq!(body["fields"][0]["field"], "Idempotency-Key");
    let response = h.send(request(&valid(2).response_id)).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(h.row_count().await, 0);

    let response = h.send(request(&payload.response_id)).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
}

on_both! {
#[tokio::test]
async fn a_body_over_the_limit_answers_413() {
    assert_eq!(BODY_LIMIT, 16 * 1024);
    let h = Harness::new().await;
    let mut payload = valid(1);
    *payload.answers.text_mut("comment") = "x".repeat(BODY_LIMIT);
    let body = serde_json::to_vec(&payload).expect("serialize");

    // Without Content-Length the limit is hit while the JSON extractor reads the body.
    let response = h.send(post_json(body.clone())).await;
    error_fields(response, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;

    // Regression: with Content-Length, tower-http's limit answers before any handler runs,
    // in plain text; the API must still answer in its JSON shape.
    let request = Request::post(POST_PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .expect("request");
    error_fields(
        h.send(request).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    assert_eq!(h.row_count().await, 0);
}
}

on_both! {
#[tokio::test]
async fn a_streamed_body_over_the_limit_answers_413_without_reading_it_all() {
    let h = Harness::new().await;
    // A chunked body with no Content-Length that never ends: only a limit enforced while
    // streaming can answer it.
    let pulled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = pulled.clone();
    let chunks = endless_chunks(move || {
        counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let request = Request::post(POST_PATH)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(chunks))
        .expect("request");
    error_fields(
        h.send(request).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    // 1 KiB chunks: it stopped just past the limit.
    let pulled = pulled.load(std::sync::atomic::Ordering::SeqCst);
    assert!(pulled <= BODY_LIMIT / 1024 + 2, "read {pulled} chunks");

    // Exactly the limit, streamed, is read in full and then judged as JSON; one byte more
    // is too large.
    for (size, status) in [
        (BODY_LIMIT, StatusCode::BAD_REQUEST),
        (BODY_LIMIT + 1, StatusCode::PAYLOAD_TOO_LARGE),
    ] {
        let chunks: Vec<Result<String, std::io::Error>> = vec![
            Ok("{".to_owned()),
            Ok(" ".repeat(size - 2)),
            Ok("}".to_owned()),
        ];
        let request = Request::post(POST_PATH)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from_stream(futures_util::stream::iter(chunks)))
            .expect("request");
        assert_eq!(h.send(request).await.status(), status, "{size} bytes");
    }
    assert_eq!(h.row_count().await, 0);
}
}

/// An endless stream of 1 KiB chunks starting a JSON string, calling `on_chunk` for each.
fn endless_chunks(
    on_chunk: impl Fn() + Send + 'static,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    let mut first = true;
    futures_util::stream::repeat_with(move || {
        on_chunk();
        let mut chunk = if first {
            br#"{"response_id":""#.to_vec()
        } else {
            Vec::new()
        };
        first = false;
        chunk.resize(1024, b'a');
        Ok(chunk)
    })
}

fn preflight(origin: &str) -> Request<Body> {
    Request::builder()
        .method(Method::OPTIONS)
        .uri(POST_PATH)
        .header(header::ORIGIN, origin)
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            "content-type,idempotency-key",
        )
        .body(Body::empty())
        .expect("request")
}

on_both! {
#[tokio::test]
async fn cors_preflight_allows_only_the_configured_origins() {
    const HALL: &str = "https://hall.example.cn";
    let h = Harness::with(|c| {
        c.allowed_origins = format!("{HALL},https://m.example.cn")
            .parse()
            .expect("origins");
    })
    .await;

    let allowed = h.send(preflight(HALL)).await;
    assert!(allowed.status().is_success());
    assert_eq!(
        header_of(&allowed, "access-control-allow-origin"),
        Some(HALL)
    );
    let methods = header_of(&allowed, "access-control-allow-methods").unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");
    let headers = header_of(&allowed, "access-control-allow-headers").unwrap_or_default();
    assert!(
        headers.contains("content-type") && headers.contains("idempotency-key"),
        "{headers}"
    );
    let max_age = header_of(&allowed, "access-control-max-age").unwrap_or_default();
    assert_eq!(max_age, collector::PREFLIGHT_MAX_AGE.as_secs().to_string());

    // A browser refuses a preflight answer without a matching allow-origin.
    let refused = h.send(preflight("https://evil.example.com")).await;
    assert_eq!(header_of(&refused, "access-control-allow-origin"), None);

    // The actual POST carries the header too, so the page can read the answer.
    let mut request = post_json(serde_json::to_vec(&valid(1)).expect("serialize"));
    request
        .headers_mut()
        .insert(header::ORIGIN, HALL.parse().expect("origin"));
    let response = h.send(request).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(
        header_of(&response, "access-control-allow-origin"),
        Some(HALL)
    );
}
}

on_both! {
#[tokio::test]
async fn cors_star_allows_any_origin() {
    let h = Harness::new().await;
    let response = h.send(preflight("https://anywhere.example.com")).await;
    assert_eq!(
        header_of(&response, "access-control-allow-origin"),
        Some("*")
    );
}
}

on_both! {
#[tokio::test]
async fn demo_responses_is_404_without_demo() {
    let h = Harness::new().await;
    // Even a file at that path in the static directory is not served.
    std::fs::create_dir_all(h.static_dir().join("demo")).expect("dir");
    std::fs::write(h.static_dir().join("demo/responses"), "[]").expect("file");
    assert_eq!(h.post(&valid(1)).await.status(), StatusCode::CREATED);
    error_fields(h.get(DEMO_PATH).await, StatusCode::NOT_FOUND, "not_found").await;
}
}

on_both! {
#[tokio::test]
async fn demo_responses_lists_the_newest_first() {
    let h = Harness::with(|c| c.demo = true).await;
    for n in 1..=3 {
        assert_eq!(h.post(&valid(n)).await.status(), StatusCode::CREATED);
    }

    let response = h.get(&format!("{DEMO_PATH}?limit=2")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = json_body(response).await;
    let items = body.as_array().expect("array");
    assert_eq!(items.len(), 2);
    for (item, n) in items.iter().zip([3, 2]) {
        let mut payload = item.clone();
        let received_at = payload
            .as_object_mut()
            .and_then(|o| o.remove("received_at"))
            .expect("received_at");
        assert!(received_at.as_str().is_some_and(|t| t.ends_with('Z')));
        let payload: ResponseV1 = serde_json::from_value(payload).expect("a full payload");
        assert_eq!(payload, valid(n));
    }

    let all = json_body(h.get(DEMO_PATH).await).await;
    assert_eq!(all.as_array().map(Vec::len), Some(3));

    error_fields(
        h.get(&format!("{DEMO_PATH}?limit=lots")).await,
        StatusCode::BAD_REQUEST,
        "invalid_query",
    )
    .await;
}
}

on_both! {
#[tokio::test]
async fn demo_responses_caps_the_limit() {
    let h = Harness::with(|c| c.demo = true).await;
    let max = routes::demo::MAX_LIMIT;
    for n in 0..=u8::try_from(max).expect("small") {
        assert_eq!(h.post(&valid(n)).await.status(), StatusCode::CREATED);
    }
    let body = json_body(h.get(&format!("{DEMO_PATH}?limit=1000")).await).await;
    assert_eq!(body.as_array().map(Vec::len), Some(max as usize));
    let body = json_body(h.get(DEMO_PATH).await).await;
    assert_eq!(
        body.as_array().map(Vec::len),
        Some(routes::demo::DEFAULT_LIMIT as usize)
    );
}
}

on_both! {
#[tokio::test]
async fn static_files_can_be_loaded_by_a_page_on_another_origin() {
    let h = Harness::new().await;
    let dir = h.static_dir();
    std::fs::write(dir.join("survey-widget_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(dir.join("embed.js"), "/* loader */").expect("js");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>hall</title>").expect("html");

    let wasm = h.get("/survey-widget_bg.wasm").await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(header_of(&wasm, "content-type"), Some("application/wasm"));
    assert_eq!(header_of(&wasm, "access-control-allow-origin"), Some("*"));
    assert_eq!(
        header_of(&wasm, "cross-origin-resource-policy"),
        Some("cross-origin")
    );
    assert_eq!(header_of(&wasm, "cache-control"), Some("no-cache"));

    let js = h.get("/embed.js").await;
    assert_eq!(header_of(&js, "content-type"), Some("text/javascript"));
    assert_eq!(header_of(&js, "access-control-allow-origin"), Some("*"));

    let index = h.get("/").await;
    assert_eq!(index.status(), StatusCode::OK);
    assert!(header_of(&index, "content-type").is_some_and(|t| t.starts_with("text/html")));

    assert_eq!(h.get("/missing.js").await.status(), StatusCode::NOT_FOUND);
}
}

on_both! {
#[tokio::test]
async fn files_named_after_their_content_are_cached_for_good_and_the_rest_revalidated() {
    let h = Harness::new().await;
    let dir = h.static_dir();
    let wasm = "survey-widget_bg.0123456789.wasm";
    std::fs::write(dir.join(wasm), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(dir.join(format!("{wasm}.br")), b"brotli bytes").expect("br");
    std::fs::write(dir.join("embed.js"), "/* loader */").expect("js");

    let immutable = Some("public, max-age=31536000, immutable");
    let plain = h.get(&format!("/{wasm}")).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(header_of(&plain, "cache-control"), immutable);
    let request = Request::get(format!("/{wasm}")).header("accept-encoding", "br");
    let br = h.send(request.body(Body::empty()).expect("request")).await;
    assert_eq!(header_of(&br, "content-encoding"), Some("br"));
    assert_eq!(header_of(&br, "cache-control"), immutable);
    assert_eq!(header_of(&br, "access-control-allow-origin"), Some("*"));

    // A revalidation (rare for an immutable file) keeps it immutable: a 304's headers replace
    // the cached ones.
    let modified = header_of(&plain, "last-modified").expect("last-modified").to_owned();
    let request = Request::get(format!("/{wasm}")).header("if-modified-since", modified);
    let revalidated = h.send(request.body(Body::empty()).expect("request")).await;
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header_of(&revalidated, "cache-control"), immutable);

    let loader = h.get("/embed.js").await;
    assert_eq!(header_of(&loader, "cache-control"), Some("no-cache"));
    // A name from an older build that is gone: nobody may keep the 404.
    let gone = h.get("/survey-widget_bg.abcdefabcd.wasm").await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_of(&gone, "cache-control"), Some("no-cache"));
}
}

on_both! {
#[tokio::test]
async fn the_widget_files_are_served_precompressed_to_clients_that_accept_it() {
    let h = Harness::new().await;
    let dir = h.static_dir();
    std::fs::write(dir.join("survey-widget_bg.wasm"), b"\0asm\x01\0\0\0").expect("wasm");
    std::fs::write(dir.join("survey-widget_bg.wasm.br"), b"brotli bytes").expect("br");
    std::fs::write(dir.join("survey-widget_bg.wasm.gz"), b"gzip bytes").expect("gz");
    let get = |encoding: &'static str| {
        let request = Request::get("/survey-widget_bg.wasm").header("accept-encoding", encoding);
        h.send(request.body(Body::empty()).expect("request"))
    };

    let br = get("gzip, deflate, br").await;
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(header_of(&br, "content-encoding"), Some("br"));
    // The type is the file's, not the compressed file's; CORS as for any widget file.
    assert_eq!(header_of(&br, "content-type"), Some("application/wasm"));
    assert_eq!(header_of(&br, "access-control-allow-origin"), Some("*"));
    assert_eq!(header_of(&br, "vary"), Some("accept-encoding"));
    assert_eq!(body_of(br).await, b"brotli bytes");

    let gz = get("gzip, deflate").await;
    assert_eq!(header_of(&gz, "content-encoding"), Some("gzip"));
    assert_eq!(body_of(gz).await, b"gzip bytes");

    let plain = get("identity").await;
    assert_eq!(header_of(&plain, "content-encoding"), None);
    assert_eq!(header_of(&plain, "vary"), Some("accept-encoding"));
    assert_eq!(body_of(plain).await, b"\0asm\x01\0\0\0");
}
}

on_both! {
#[tokio::test]
async fn the_api_works_without_a_static_directory() {
    let h = Harness::with(|c| c.static_dir = PathBuf::from("/nonexistent/dist")).await;
    assert_eq!(h.post(&valid(1)).await.status(), StatusCode::CREATED);
    assert_eq!(h.get("/").await.status(), StatusCode::NOT_FOUND);
}
}

on_both! {
#[tokio::test]
async fn field_errors_use_the_model_shape() {
    // The collector's field errors are model's `FieldError`, serialized as-is.
    let value = serde_json::to_value(FieldError::new("page", "is too long")).expect("serialize");
    assert_eq!(value, json!({ "field": "page", "message": "is too long" }));
}
}

on_both! {
#[tokio::test]
async fn the_same_response_id_with_a_different_body_answers_422_on_response_id() {
    let h = Harness::new().await;
    let first = valid(1);
    assert_eq!(h.post(&first).await.status(), StatusCode::CREATED);

    let mut changed = first.clone();
    *changed.answers.text_mut("comment") = "其实还好".to_owned();
    let fields = error_fields(
        h.post(&changed).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "response_id_reused",
    )
    .await;
    assert_eq!(fields, ["response_id"]);

    // The same payload with its keys in another order and other whitespace is the same
    // response: a replay, answered with the first receipt.
    let value = serde_json::to_value(&first).expect("serialize");
    let object = value.as_object().expect("object");
    let reordered: serde_json::Map<String, Value> = object
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let text = serde_json::to_string_pretty(&Value::Object(reordered)).expect("JSON");
    let replay = h.send(post_json(text)).await;
    assert_eq!(replay.status(), StatusCode::OK);
    assert_eq!(
        json_body(replay).await,
        json!({ "response_id": first.response_id })
    );

    assert_eq!(h.row_count().await, 1);
    let pool = h.db.pool().await;
    let comment: String = sqlx::query_scalar("SELECT comment FROM responses")
        .fetch_one(&pool)
        .await
        .expect("row");
    assert_eq!(comment, first.answers.comment(), "the first response is kept");
}
}

on_both! {
#[tokio::test]
async fn a_second_response_for_the_same_transaction_answers_409() {
    let h = Harness::new().await;
    let first = valid(1);
    assert_eq!(h.post(&first).await.status(), StatusCode::CREATED);

    let mut second = valid(2);
    second.transaction = first.transaction.clone();
    let fields = error_fields(h.post(&second).await, StatusCode::CONFLICT, "already_rated").await;
    assert_eq!(fields, Vec::<String>::new());

    // The same transaction id of another survey, or another transaction, is a new response.
    let mut other_transaction = valid(3);
    other_transaction.transaction.id = format!("{}-B", first.transaction.id);
    assert_eq!(
        h.post(&other_transaction).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(h.row_count().await, 2);

    // The first is still replayable.
    assert_eq!(h.post(&first).await.status(), StatusCode::OK);
}
}

on_both! {
#[tokio::test]
async fn concurrent_different_responses_for_one_transaction_store_exactly_one() {
    let h = Harness::new().await;
    let mut tasks = Vec::new();
    for n in 0..20u8 {
        let app = h.app.clone();
        let mut payload = valid(n);
        payload.transaction.id = "PAY-RACE".to_owned();
        tasks.push(tokio::spawn(async move {
            let request = post_json(serde_json::to_vec(&payload).expect("serialize"));
            app.oneshot(request).await.expect("infallible").status()
        }));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("task"));
    }
    let created = statuses
        .iter()
        .filter(|s| **s == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{statuses:?}");
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    assert_eq!(h.row_count().await, 1);
}
}

/// Replaces the JSON string `from` in `payload`'s serialization by the raw JSON text `to`.
fn raw_payload(payload: &ResponseV1, from: &str, to: &str) -> String {
    let text = serde_json::to_string(payload).expect("serialize");
    let quoted = serde_json::to_string(from).expect("quote");
    assert!(text.contains(&quoted), "{quoted} in {text}");
    text.replace(&quoted, to)
}

on_both! {
#[tokio::test]
async fn nul_characters_are_refused_with_422_naming_each_field() {
    // Decision: U+0000 is refused (PostgreSQL TEXT cannot hold it), never a 500.
    let h = Harness::new().await;
    let mut payload = valid(1);
    *payload.answers.text_mut("comment") = "before\0after".to_owned();
    payload.transaction.id = "PAY\0".to_owned();
    payload.transaction.unit = "hall\0".to_owned();
    let fields = error_fields(
        h.post(&payload).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_payload",
    )
    .await;
    let mut sorted = fields.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["answers.comment", "transaction.id", "transaction.unit"]
    );

    // Sent as the escape \u0000, the same.
    let mut payload = valid(2);
    *payload.answers.text_mut("comment") = "MARK".to_owned();
    let text = raw_payload(&payload, "MARK", r#""a\u0000b""#);
    let fields = error_fields(
        h.send(post_json(text)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_payload",
    )
    .await;
    assert_eq!(fields, ["answers.comment"]);
    assert_eq!(h.row_count().await, 0);
}
}

on_both! {
#[tokio::test]
async fn lone_surrogates_are_refused_with_422_naming_the_field() {
    // Decision: `"\ud800"` is JSON syntax but not a character. Refused alike on both databases,
    // naming the field (model::response::ingest), never stored and never a 500.
    let h = Harness::new().await;
    let mut payload = valid(1);
    *payload.answers.text_mut("comment") = "MARK".to_owned();
    payload.transaction.unit = "UNIT".to_owned();
    for raw in [r#""\ud800""#, r#""x\udc00y""#, r#""\ud83d""#, r#""\ud83d\u0041""#] {
        let text = raw_payload(&payload, "MARK", raw);
        let fields = error_fields(
            h.send(post_json(text)).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_payload",
        )
        .await;
        assert_eq!(fields, ["answers.comment"], "{raw}");
    }
    let text = raw_payload(&payload, "UNIT", r#""\udbff""#);
    let fields = error_fields(
        h.send(post_json(text)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_payload",
    )
    .await;
    assert_eq!(fields, ["transaction.unit"]);
    assert_eq!(h.row_count().await, 0);
}
}

on_both! {
#[tokio::test]
async fn invalid_utf8_is_refused_with_400() {
    // Decision: bytes that are not UTF-8 are not JSON text: 400 malformed_json.
    let h = Harness::new().await;
    let mut payload = valid(1);
    *payload.answers.text_mut("comment") = "MARK".to_owned();
    let text = raw_payload(&payload, "MARK", "\"MARK\"");
    let mut bytes = text.into_bytes();
    let at = bytes.windows(4).position(|w| w == b"MARK").expect("marker");
    bytes[at] = 0xff;
    error_fields(
        h.send(post_json(bytes)).await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_eq!(h.row_count().await, 0);
}
}

on_both! {
#[tokio::test]
async fn four_byte_emoji_are_stored_and_read_back_identically() {
    let h = Harness::with(|c| c.demo = true).await;
    let mut payload = valid(1);
    *payload.answers.text_mut("comment") = "排队太久 😡👍🏽 𠀀".to_owned();
    payload.transaction.unit = "城东 🏢".to_owned();
    payload.transaction.id = "PAY-😀-1".to_owned();
    assert_eq!(h.post(&payload).await.status(), StatusCode::CREATED);

    // Also sent as escaped surrogate pairs: the same text, so a replay.
    let text = serde_json::to_string(&payload)
        .expect("serialize")
        .replace("😡", r"\ud83d\ude21");
    assert_eq!(h.send(post_json(text)).await.status(), StatusCode::OK);

    let pool = h.db.pool().await;
    let (comment, unit, id): (String, String, String) =
        sqlx::query_as("SELECT comment, transaction_unit, transaction_id FROM responses")
            .fetch_one(&pool)
            .await
            .expect("row");
    assert_eq!(comment, payload.answers.comment());
    assert_eq!(unit, payload.transaction.unit);
    assert_eq!(id, payload.transaction.id);

    let listed = json_body(h.get(DEMO_PATH).await).await;
    let mut item = listed[0].clone();
    item.as_object_mut().map(|o| o.remove("received_at"));
    let read_back: ResponseV1 = serde_json::from_value(item).expect("payload");
    assert_eq!(read_back, payload);
}
}

fn from_origin(mut request: Request<Body>, origin: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert(header::ORIGIN, origin.parse().expect("origin"));
    request
}

on_both! {
#[tokio::test]
async fn cors_answers_vary_by_origin_and_other_origins_cannot_post() {
    const HALL: &str = "https://hall.example.cn";
    let h = Harness::with(|c| c.allowed_origins = HALL.parse().expect("origins")).await;

    let allowed = h
        .send(from_origin(
            post_json(serde_json::to_vec(&valid(1)).expect("serialize")),
            HALL,
        ))
        .await;
    assert_eq!(allowed.status(), StatusCode::CREATED);
    assert_eq!(
        header_of(&allowed, "access-control-allow-origin"),
        Some(HALL)
    );
    let vary: Vec<&str> = allowed
        .headers()
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    assert!(
        vary.iter().any(|v| v.eq_ignore_ascii_case("origin")),
        "{vary:?}"
    );
    // A page can read Retry-After on a 429.
    let exposed = header_of(&allowed, "access-control-expose-headers").unwrap_or_default();
    assert!(exposed.contains("retry-after"), "{exposed}");

    let preflight = h.send(preflight(HALL)).await;
    assert_eq!(
        header_of(&preflight, "access-control-max-age"),
        Some("3600")
    );

    let refused = h
        .send(from_origin(
            post_json(serde_json::to_vec(&valid(2)).expect("serialize")),
            "https://evil.example.com",
        ))
        .await;
    let cors_headers: Vec<String> = refused
        .headers()
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect();
    assert_eq!(cors_headers, Vec::<String>::new());
    error_fields(refused, StatusCode::FORBIDDEN, "origin_not_allowed").await;

    // Without Origin (not a browser), the list does not apply.
    assert_eq!(h.post(&valid(3)).await.status(), StatusCode::CREATED);
    assert_eq!(h.row_count().await, 2);
}
}

/// A POST of `payload` as if from the TCP peer `ip`, as `server::serve` marks it.
fn post_from(ip: [u8; 4], payload: &ResponseV1) -> Request<Body> {
    let mut request = post_json(serde_json::to_vec(payload).expect("serialize"));
    let peer = std::net::SocketAddr::from((ip, 40000));
    request
        .extensions_mut()
        .insert(axum::extract::ConnectInfo(peer));
    request
}

on_both! {
#[tokio::test]
async fn posts_over_the_rate_limit_answer_429_with_retry_after() {
    let h = Harness::with(|c| c.rate_limit = 3).await;
    for n in 0..3 {
        let response = h.send(post_from([192, 0, 2, 1], &valid(n))).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    // Preflights and other methods are not counted.
    for _ in 0..5 {
        assert!(
            h.send(preflight("https://a.example.cn"))
                .await
                .status()
                .is_success()
        );
    }
    let mut spoofed = post_from([192, 0, 2, 1], &valid(3));
    spoofed
        .headers_mut()
        .insert("x-forwarded-for", "198.51.100.7".parse().expect("header"));
    let limited = h.send(spoofed).await;
    // 3 per minute refill one every 20 s.
    assert_eq!(header_of(&limited, "retry-after"), Some("20"));
    error_fields(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;

    // Another client is not affected.
    let other = h.send(post_from([192, 0, 2, 2], &valid(4))).await;
    assert_eq!(other.status(), StatusCode::CREATED);
    assert_eq!(h.row_count().await, 4);
}
}

on_both! {
#[tokio::test]
async fn rate_limit_zero_turns_the_limit_off() {
    let h = Harness::with(|c| c.rate_limit = 0).await;
    for n in 0..5 {
        let response = h.send(post_from([192, 0, 2, 1], &valid(n))).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
}
}

on_both! {
#[tokio::test]
async fn healthz_and_readyz_answer_ok_while_the_database_answers() {
    let h = Harness::new().await;
    for path in [routes::health::HEALTHZ_PATH, routes::health::READYZ_PATH] {
        let response = h.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(json_body(response).await, json!({ "status": "ok" }));
    }

    // With the database gone, the process is alive but not ready.
    h.store.close().await;
    let health = h.get(routes::health::HEALTHZ_PATH).await;
    assert_eq!(health.status(), StatusCode::OK);
    error_fields(
        h.get(routes::health::READYZ_PATH).await,
        StatusCode::SERVICE_UNAVAILABLE,
        "not_ready",
    )
    .await;
}
}

on_both! {
#[tokio::test]
async fn an_old_database_with_several_responses_per_transaction_migrates_without_loss() {
    // Before the unique index, several responses per transaction could be stored; the
    // migration must not fail on them, and must keep every row somewhere.
    let db = TestDatabase::new().await;
    let first_only = db.dir.path().join("migrations");
    std::fs::create_dir(&first_only).expect("dir");
    let first = "20260101000000_responses.sql";
    let backend_dir = match backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(backend_dir)
            .join(first),
        first_only.join(first),
    )
    .expect("copy");
    let pool = db.pool().await;
    sqlx::migrate::Migrator::new(first_only.as_path())
        .await
        .expect("migrator")
        .run(&pool)
        .await
        .expect("first migration");
    for (id, transaction, received_at) in [
        ("a", "T1", "2026-11-27T08:00:00.000000Z"),
        ("b", "T1", "2026-11-27T09:00:00.000000Z"),
        ("c", "T1", "2026-11-27T07:00:00.000000Z"),
        ("d", "T2", "2026-11-27T08:00:00.000000Z"),
    ] {
        sqlx::query(
            "INSERT INTO responses VALUES ($1, $2, 'default', 1, $3, 'bill_payment', 'hall', \
             1, '[]', '', 'zh-CN', $2, 'https://a.cn/', '0.1.0', '{}')",
        )
        .bind(id)
        .bind(received_at)
        .bind(transaction)
        .execute(&pool)
        .await
        .expect("old row");
    }
    pool.close().await;

    let store = Store::open(&db.database).await.expect("migrates");
    store.close().await;
    let pool = db.pool().await;
    let kept: Vec<String> =
        sqlx::query_scalar("SELECT response_id FROM responses ORDER BY response_id")
            .fetch_all(&pool)
            .await
            .expect("kept");
    assert_eq!(
        kept,
        ["c", "d"],
        "the first received per transaction is kept"
    );
    let moved: Vec<String> =
        sqlx::query_scalar("SELECT response_id FROM superseded_responses ORDER BY response_id")
            .fetch_all(&pool)
            .await
            .expect("moved");
    assert_eq!(moved, ["a", "b"]);
}
}

/// Keys for signed transactions: the bytes `byte` repeated, under `kid`.
fn transaction_key(kid: &str, byte: u8) -> TransactionKey {
    use base64::Engine;
    let secret = base64::engine::general_purpose::STANDARD.encode([byte; 32]);
    format!("{kid}={secret}").parse().expect("key")
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// A token for `payload`'s survey and transaction, signed by `key`, expiring at `expiry`.
fn token_for(key: &TransactionKey, payload: &ResponseV1, expiry: u64) -> String {
    token::mint(
        key,
        Claims {
            survey_id: &payload.survey.id,
            transaction_id: &payload.transaction.id,
            kind: &payload.transaction.kind,
            unit: &payload.transaction.unit,
        },
        expiry,
    )
}

/// `payload` as the widget sends it with `token` in `transaction.token`.
fn with_token(payload: &ResponseV1, token: Option<String>) -> Request<Body> {
    let signed = payload
        .clone()
        .map_transaction(|transaction| SignedTransaction {
            token,
            ..transaction.into()
        });
    post_json(serde_json::to_vec(&signed).expect("serialize"))
}

on_both! {
#[tokio::test]
async fn with_keys_only_a_valid_unexpired_token_for_this_transaction_is_stored() {
    let (old, new) = (transaction_key("2026-01", 1), transaction_key("2026-07", 2));
    let keys = vec![old.clone(), new.clone()];
    let h = Harness::with(|config| config.transaction_keys = keys).await;
    let tomorrow = unix_now() + 86_400;

    // Both configured keys are accepted while rotating.
    let first = valid(1);
    let response = h.send(with_token(&first, Some(token_for(&old, &first, tomorrow)))).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let second = valid(2);
    let response = h.send(with_token(&second, Some(token_for(&new, &second, tomorrow)))).await;
    assert_eq!(response.status(), StatusCode::CREATED);

    // The token is not stored, so a retry with a freshly minted token is the same response.
    let pool = h.db.pool().await;
    let payloads: Vec<String> = sqlx::query_scalar("SELECT payload FROM responses")
        .fetch_all(&pool)
        .await
        .expect("rows");
    assert!(payloads.iter().all(|p| !p.contains("token")), "{payloads:?}");
    let retry = h.send(with_token(&first, Some(token_for(&new, &first, tomorrow + 1)))).await;
    assert_eq!(retry.status(), StatusCode::OK);

    let payload = valid(3);
    let good = token_for(&new, &payload, tomorrow);
    let mut other_survey = payload.clone();
    other_survey.survey.id = "another-survey".to_owned();
    let mut other_transaction = payload.clone();
    other_transaction.transaction.id = "PAY-2026-9999".to_owned();
    let mut other_unit = payload.clone();
    other_unit.transaction.unit = "城西供电营业厅".to_owned();
    let forged = {
        let (rest, mac) = good.rsplit_once('.').expect("a MAC");
        let flipped = if mac.starts_with('A') { 'B' } else { 'A' };
        format!("{rest}.{flipped}{}", &mac[1..])
    };
    let refused = [
        ("missing", None),
        ("forged", Some(forged)),
        ("expired", Some(token_for(&new, &payload, unix_now() - 1))),
        ("another survey", Some(token_for(&new, &other_survey, tomorrow))),
        ("another transaction", Some(token_for(&new, &other_transaction, tomorrow))),
        ("another unit", Some(token_for(&new, &other_unit, tomorrow))),
        ("unknown kid", Some(token_for(&transaction_key("2025-07", 2), &payload, tomorrow))),
        ("garbage", Some("v1.2026-07.x.y".to_owned())),
    ];
    let mut bodies = Vec::new();
    for (case, token) in refused {
        let response = h.send(with_token(&payload, token)).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{case}");
        bodies.push((case, json_body(response).await));
    }
    // One answer for every failure: nothing tells a forger which check failed.
    let expected = json!({
        "error": "invalid_token",
        "message": "the transaction token is missing or not valid",
        "fields": [{"field": "transaction.token", "message": "is missing or not valid"}],
    });
    for (case, body) in bodies {
        assert_eq!(body, expected, "{case}");
    }
    assert_eq!(h.row_count().await, 2);
    let response = h.send(with_token(&payload, Some(good))).await;
    assert_eq!(response.status(), StatusCode::CREATED);
}
}

on_both! {
#[tokio::test]
async fn without_keys_no_token_is_needed_and_a_sent_token_is_ignored() {
    let h = Harness::new().await;
    assert_eq!(h.send(with_token(&valid(1), None)).await.status(), StatusCode::CREATED);
    let sent = h.send(with_token(&valid(2), Some("v1.k.1.not-checked".to_owned()))).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    assert_eq!(h.row_count().await, 2);
}
}
