//! The survey API and API tokens, on SQLite and on PostgreSQL: public cacheable reads,
//! versions that never change, 401 / 403 / 422, and responses checked against the version they
//! name.

mod common;

use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode, header},
    response::Response,
};
use clap::Parser;
use collector::{
    AppState, Config, Store, app,
    auth::{Role, new_token, token_hash},
};
use common::{TestDatabase, json_body};
use model::{Answers, ResponseV1, SurveyRef, Transaction, definition::DEFAULT_SURVEY_JSON};
use serde_json::{Value, json};
use tower::ServiceExt;

struct Harness {
    _db: TestDatabase,
    store: Store,
    app: Router,
}

impl Harness {
    async fn new() -> Harness {
        let db = TestDatabase::new().await;
        // Parsed like the command line, so new flags get their defaults.
        let static_dir = db.dir.path().join("dist");
        let mut args = vec![
            "collector".to_owned(),
            "--listen=127.0.0.1:0".to_owned(),
            "--rate-limit=0".to_owned(),
            "--allowed-origins=https://hall.example.cn".to_owned(),
            format!("--static-dir={}", static_dir.display()),
        ];
        args.extend(db.flags());
        let config = Config::try_parse_from(args).expect("flags");
        assert_eq!(config.database(), db.database);
        let store = Store::open(&config.database()).await.expect("open store");
        let app = app(AppState::new(store.clone(), config));
        Harness {
            _db: db,
            store,
            app,
        }
    }

    async fn token(&self, name: &str, role: Role) -> String {
        let token = new_token().expect("random");
        self.store
            .create_token(&token_hash(&token), name, role)
            .await
            .expect("create token");
        token
    }

    async fn send(&self, request: Request<Body>) -> Response {
        self.app.clone().oneshot(request).await.expect("infallible")
    }

    async fn get(&self, uri: &str, etag: Option<&str>) -> Response {
        let mut request = Request::get(uri);
        if let Some(etag) = etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        self.send(request.body(Body::empty()).expect("request"))
            .await
    }

    async fn put(&self, id: &str, token: Option<&str>, body: &Value) -> Response {
        let mut request = Request::put(format!("/v1/surveys/{id}"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.send(request.body(Body::from(body.to_string())).expect("request"))
            .await
    }
}

fn header_of(response: &Response, name: header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn default_survey() -> Value {
    serde_json::from_str(DEFAULT_SURVEY_JSON).expect("JSON")
}

/// The built-in survey with a new question text.
fn edited() -> Value {
    let mut survey = default_survey();
    survey["questions"][0]["text"]["zh-CN"] = json!("您对本次缴费服务满意吗？");
    survey
}

fn response_to(id: &str, version: u32, answers: Value) -> ResponseV1 {
    ResponseV1 {
        response_id: "0f8fad5b-d9cb-469f-a165-708677289501".to_owned(),
        survey: SurveyRef {
            id: id.to_owned(),
            version,
        },
        transaction: Transaction {
            id: "PAY-1".to_owned(),
            kind: "bill_payment".to_owned(),
            unit: "城东供电营业厅".to_owned(),
        },
        answers: serde_json::from_value::<Answers>(answers).expect("answers"),
        locale: model::Locale::ZhCn,
        submitted_at: "2026-11-27T08:30:00.123Z".to_owned(),
        page: "https://95598.example.cn/hall/pay".to_owned(),
        widget_version: "0.1.0".to_owned(),
    }
}

async fn post(h: &Harness, payload: &ResponseV1) -> Response {
    h.send(
        Request::post("/v1/responses")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(serde_json::to_vec(payload).expect("JSON")))
            .expect("request"),
    )
    .await
}

fn fields(body: &Value) -> Vec<String> {
    body["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().expect("field").to_owned())
        .collect()
}

on_both! {
#[tokio::test]
async fn the_built_in_survey_is_served_public_and_cacheable() {
    let h = Harness::new().await;
    let response = h.get("/v1/surveys/default", None).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header_of(&response, header::ACCESS_CONTROL_ALLOW_ORIGIN).as_deref(), Some("*"));
    assert_eq!(header_of(&response, header::CACHE_CONTROL).as_deref(), Some("public, no-cache"));
    let etag = header_of(&response, header::ETAG).expect("ETag");
    assert!(etag.starts_with("\"1-"), "{etag}");
    let body = json_body(response).await;
    assert_eq!(body, serde_json::to_value(model::definition::default_definition()).expect("JSON"));

    let again = h.get("/v1/surveys/default", Some(&etag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(header_of(&again, header::ETAG), Some(etag.clone()));
    let weak = h.get("/v1/surveys/default", Some(&format!("\"x\", W/{etag}"))).await;
    assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(h.get("/v1/surveys/default", Some("\"other\"")).await.status(), StatusCode::OK);

    let v1 = h.get("/v1/surveys/default/versions/1", None).await;
    assert_eq!(v1.status(), StatusCode::OK);
    let admin = h.token("root", Role::Admin).await;
    let list = h
        .send(
            Request::get("/v1/surveys")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(
        json_body(list).await,
        json!({"surveys": [{"id": "default", "version": 1, "author": null, "published_at": null}]})
    );
    assert!(header_of(&v1, header::CACHE_CONTROL).is_some_and(|c| c.contains("immutable")));
    assert_eq!(h.get("/v1/surveys/default/versions/2", None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(h.get("/v1/surveys/nope", None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        h.get("/v1/surveys/default/versions/0", None).await.status(),
        StatusCode::NOT_FOUND
    );
    // Regression: axum's own Path rejection is plain text; the API answers its JSON shape.
    let bad = h.get("/v1/surveys/default/versions/two", None).await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_body(bad).await["error"], "invalid_path");
}

#[tokio::test]
async fn publishing_needs_a_live_marketer_or_admin_token() {
    let h = Harness::new().await;
    let marketer = h.token("alice", Role::Marketer).await;
    let manager = h.token("bob", Role::Manager).await;
    let admin = h.token("root", Role::Admin).await;

    let missing = h.put("default", None, &edited()).await;
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(header_of(&missing, header::WWW_AUTHENTICATE).as_deref(), Some("Bearer"));
    assert_eq!(json_body(missing).await["error"], "unauthorized");
    let unknown = new_token().expect("random");
    for bad in [unknown.as_str(), "sv_nothex", "Basic abc", ""] {
        let response = h.put("default", Some(bad), &edited()).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{bad}");
    }
    let forbidden = h.put("default", Some(&manager), &edited()).await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
    assert_eq!(json_body(forbidden).await["error"], "forbidden");
    assert_eq!(h.get("/v1/surveys/default/versions/2", None).await.status(), StatusCode::NOT_FOUND);

    let created = h.put("default", Some(&marketer), &edited()).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let body = json_body(created).await;
    assert_eq!((body["id"].clone(), body["version"].clone(), body["author"].clone()), (json!("default"), json!(2), json!("alice")));
    assert_eq!(body["warnings"], json!([]));
    let by_admin = h.put("default", Some(&admin), &edited()).await;
    assert_eq!(json_body(by_admin).await["version"], 3);

    assert_eq!(h.store.revoke_tokens("alice").await.expect("revoke"), 1);
    assert_eq!(h.put("default", Some(&marketer), &edited()).await.status(), StatusCode::UNAUTHORIZED);
    let tokens = h.store.tokens().await.expect("tokens");
    assert_eq!(tokens.len(), 3);
    assert!(tokens.iter().any(|t| t.name == "alice" && t.revoked_at.is_some()));
}

#[tokio::test]
async fn a_publish_is_a_new_version_and_old_ones_never_change() {
    let h = Harness::new().await;
    let marketer = h.token("alice", Role::Marketer).await;
    let before = h.get("/v1/surveys/default", None).await;
    let old_etag = header_of(&before, header::ETAG).expect("ETag");

    let mut survey = edited();
    survey["version"] = json!(99); // ignored: the collector numbers versions
    survey["questions"][2]["text"].as_object_mut().expect("text").remove("en");
    let created = json_body(h.put("default", Some(&marketer), &survey).await).await;
    assert_eq!(created["version"], 2);
    assert_eq!(fields(&json!({"fields": created["warnings"]})), ["questions[2].text.en"]);

    let current = h.get("/v1/surveys/default", Some(&old_etag)).await;
    assert_eq!(current.status(), StatusCode::OK, "a new version has a new ETag");
    let current = json_body(current).await;
    assert_eq!(current["version"], 2);
    assert_eq!(current["questions"][0]["text"]["zh-CN"], "您对本次缴费服务满意吗？");
    let v1 = json_body(h.get("/v1/surveys/default/versions/1", None).await).await;
    assert_eq!(v1["questions"][0]["text"]["zh-CN"], "您对本次服务满意吗？");
    let v2 = json_body(h.get("/v1/surveys/default/versions/2", None).await).await;
    assert_eq!(v2, current);

    let mut other = edited();
    other["id"] = json!("hall-nps");
    let created = json_body(h.put("hall-nps", Some(&marketer), &other).await).await;
    assert_eq!(created["version"], 1, "a new survey starts at 1");

    let list = |token: Option<String>| {
        let mut request = Request::get("/v1/surveys");
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        h.send(request.body(Body::empty()).expect("request"))
    };
    assert_eq!(list(None).await.status(), StatusCode::UNAUTHORIZED);
    let manager = h.token("bob", Role::Manager).await;
    let surveys = json_body(list(Some(manager)).await).await["surveys"].clone();
    let rows: Vec<(Value, Value, Value)> = surveys
        .as_array()
        .expect("surveys")
        .iter()
        .map(|s| (s["id"].clone(), s["version"].clone(), s["author"].clone()))
        .collect();
    assert_eq!(
        rows,
        [
            (json!("default"), json!(2), json!("alice")),
            (json!("hall-nps"), json!(1), json!("alice"))
        ]
    );
    assert!(surveys[0]["published_at"].as_str().is_some_and(|t| t.ends_with('Z')));
}

#[tokio::test]
async fn an_invalid_definition_answers_422_naming_every_field() {
    let h = Harness::new().await;
    let marketer = h.token("alice", Role::Marketer).await;
    let mut survey = edited();
    survey["questions"][2]["text"]["en"] = json!(" ");
    survey["questions"].as_array_mut().expect("questions").swap(0, 1);
    let response = h.put("other", Some(&marketer), &survey).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(response).await;
    assert_eq!(body["error"], "invalid_survey");
    assert_eq!(
        fields(&body),
        ["id", "questions[0].show_if.question", "questions[0].required_if.question", "questions[2].text.en"]
    );
    let not_this = model::definition::Problem::NotThisSurvey { id: "other".to_owned() };
    assert_eq!(body["fields"][0]["message"], not_this.en(), "{body}");
    assert!(body["fields"][1]["message"].as_str().expect("message").contains("comes after it"), "{body}");

    let mut unknown = edited();
    unknown["questions"][0]["colour"] = json!("red");
    let response = h.put("default", Some(&marketer), &unknown).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(fields(&json_body(response).await), ["questions[0].colour"]);
    assert_eq!(h.get("/v1/surveys/default/versions/2", None).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn responses_are_checked_against_the_version_they_name() {
    let h = Harness::new().await;
    let marketer = h.token("alice", Role::Marketer).await;
    // Version 2 asks the reasons for a rating of 3 or less, and wants a reason (no comment
    // stands in).
    let mut survey = edited();
    survey["questions"][1]["show_if"]["value"] = json!(3);
    survey["questions"][1]["required_if"]["value"] = json!(3);
    survey["questions"][1].as_object_mut().expect("question").remove("satisfied_by");
    assert_eq!(h.put("default", Some(&marketer), &survey).await.status(), StatusCode::CREATED);

    let v2 = response_to("default", 2, json!({"satisfaction": 3, "comment": "一般"}));
    let refused = json_body(post(&h, &v2).await).await;
    assert_eq!(fields(&refused), ["answers.reasons"]);
    // Version 1 did not ask reasons for a 3.
    let v1 = response_to("default", 1, json!({"satisfaction": 3, "comment": "一般"}));
    assert_eq!(post(&h, &v1).await.status(), StatusCode::CREATED);
    let v2 = response_to("default", 2, json!({"satisfaction": 3, "reasons": ["long_wait"]}));
    let mut v2 = v2;
    v2.response_id = "0f8fad5b-d9cb-469f-a165-708677289502".to_owned();
    v2.transaction.id = "PAY-2".to_owned();
    assert_eq!(post(&h, &v2).await.status(), StatusCode::CREATED);

    let no_version = response_to("default", 9, json!({"satisfaction": 5}));
    let body = json_body(post(&h, &no_version).await).await;
    assert_eq!(fields(&body), ["survey.version"]);
    let no_survey = response_to("nope", 1, json!({"satisfaction": 5}));
    let body = json_body(post(&h, &no_survey).await).await;
    assert_eq!(fields(&body), ["survey.id"]);
}
}
