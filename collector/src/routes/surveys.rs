//! The survey API: published survey definitions, read by anyone, published by marketers.
//!
//! - `GET /v1/surveys/{id}`: the current (newest) version. Public and cacheable: an ETag,
//!   `Cache-Control: public, no-cache` (caches keep it but revalidate, so the next customer
//!   after a publish gets the new text; an unchanged survey costs a 304), and
//!   `Access-Control-Allow-Origin: *` whatever `--allowed-origins` says: a definition is public,
//!   carries no credentials, and the widget fetches it from any host page.
//! - `GET /v1/surveys/{id}/versions/{n}`: one version, immutable, cached for a year.
//! - `GET /v1/surveys`: every survey's current version, author and time, for any valid token
//!   (the Studio's list).
//! - `PUT /v1/surveys/{id}`: a marketer (or admin) token publishes a new version, checked by
//!   `model`. The built-in survey is `default` version 1 until a version is published, and a
//!   publish of `default` starts at version 2.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use axum::{
    Json, Router,
    extract::State,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use model::{Definition, FieldError, definition::default_definition, response::ingest::BodyError};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_http::limit::RequestBodyLimitLayer;

use crate::{
    AppError, AppState,
    auth::{Caller, Role},
    extract::{AppJsonOf, AppPath, SURVEY_BODY_LIMIT},
};

/// The path of the list of surveys.
pub const SURVEYS_PATH: &str = "/v1/surveys";
/// The path of a survey's current version.
///
/// Public contract: changing it is a breaking change; record it in CHANGELOG.md.
pub const SURVEY_PATH: &str = "/v1/surveys/{id}";
/// The path of one version of a survey.
pub const SURVEY_VERSION_PATH: &str = "/v1/surveys/{id}/versions/{version}";

/// The body of a successful publish.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// The survey's id.
    pub id: String,
    /// The version it got.
    pub version: u32,
    /// Who published it (the token's name).
    pub author: String,
    /// When: RFC 3339 in UTC.
    pub published_at: String,
    /// Things to fix that did not stop the publish, such as missing translations.
    pub warnings: Vec<FieldError>,
}

/// One survey in the list: its newest version, who published it and when (`null` for the
/// built-in survey, which nobody published).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyListItem {
    /// The survey's id.
    pub id: String,
    /// Its current version.
    pub version: u32,
    /// Who published it (a token's name); `null` for the built-in survey.
    pub author: Option<String>,
    /// When: RFC 3339 in UTC; `null` for the built-in survey.
    pub published_at: Option<String>,
}

/// The body of `GET /v1/surveys`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyList {
    /// Every survey, by id.
    pub surveys: Vec<SurveyListItem>,
}

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(SURVEYS_PATH, get(list))
        .route(SURVEY_PATH, get(current).put(publish))
        .route(SURVEY_VERSION_PATH, get(version))
        .layer(RequestBodyLimitLayer::new(SURVEY_BODY_LIMIT))
}

/// Survey versions already read. A version never changes once published, so it can be kept
/// for the life of the process; `POST /v1/responses` then checks answers without a query.
/// Holds at most [`VersionCache::CAPACITY`] versions; past that, versions are read each time.
#[derive(Clone, Debug, Default)]
pub struct VersionCache(Arc<Mutex<Versions>>);

/// Definitions by survey id, then version (looked up by `&str`, with no key to build), and how
/// many versions that is.
#[derive(Debug, Default)]
struct Versions {
    by_id: HashMap<String, HashMap<u32, Arc<Definition>>>,
    count: usize,
}

impl VersionCache {
    /// The most versions kept.
    pub const CAPACITY: usize = 1000;

    fn get(&self, id: &str, version: u32) -> Option<Arc<Definition>> {
        let versions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        versions.by_id.get(id)?.get(&version).cloned()
    }

    fn keep(&self, definition: &Arc<Definition>) {
        let mut versions = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if versions.count < Self::CAPACITY
            && versions
                .by_id
                .entry(definition.id.clone())
                .or_default()
                .insert(definition.version, Arc::clone(definition))
                .is_none()
        {
            versions.count += 1;
        }
    }
}

/// The definition the collector serves as `id` at `version` (`None`: the newest): a stored
/// one, or the built-in survey as `default` version 1.
pub async fn find(
    state: &AppState,
    id: &str,
    version: Option<u32>,
) -> Result<Option<Arc<Definition>>, AppError> {
    if let Some(n) = version
        && let Some(cached) = state.surveys.get(id, n)
    {
        return Ok(Some(cached));
    }
    let stored = match version {
        None => state.store.latest_survey(id).await?,
        Some(n) => state.store.survey_version(id, n).await?,
    };
    let builtin = default_definition();
    let found = match stored {
        Some(stored) => Arc::new(stored.definition),
        // Published versions of `default` start at 2, so version 1 is always the built-in.
        None if id == builtin.id && version.is_none_or(|n| n == builtin.version) => {
            Arc::new(builtin.clone())
        }
        None => return Ok(None),
    };
    state.surveys.keep(&found);
    Ok(Some(found))
}

/// Every survey's current version, author and time: any valid token (the Studio's list).
async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<SurveyList>, AppError> {
    let mut surveys: Vec<SurveyListItem> = state
        .store
        .survey_summaries()
        .await?
        .into_iter()
        .map(|s| SurveyListItem {
            id: s.id,
            version: s.version,
            author: Some(s.author),
            published_at: Some(s.published_at),
        })
        .collect();
    let builtin = default_definition();
    if !surveys.iter().any(|s| s.id == builtin.id) {
        let at = surveys.partition_point(|s| s.id.as_str() < builtin.id.as_str());
        surveys.insert(
            at,
            SurveyListItem {
                id: builtin.id.clone(),
                version: builtin.version,
                author: None,
                published_at: None,
            },
        );
    }
    Ok(Json(SurveyList { surveys }))
}

async fn current(
    State(state): State<AppState>,
    AppPath(id): AppPath<String>,
    headers: HeaderMap,
) -> Response {
    public(
        find(&state, &id, None)
            .await
            .and_then(|d| d.ok_or(AppError::NotFound))
            .map(|d| cacheable(&d, &headers, "public, no-cache")),
    )
}

async fn version(
    State(state): State<AppState>,
    AppPath((id, version)): AppPath<(String, u32)>,
    headers: HeaderMap,
) -> Response {
    public(
        find(&state, &id, Some(version))
            .await
            .and_then(|d| d.ok_or(AppError::NotFound))
            .map(|d| cacheable(&d, &headers, "public, max-age=31536000, immutable")),
    )
}

/// A public read's response, error or not, readable from any origin: a widget on another
/// site must see a 404 as a 404 (and say so), not as a CORS failure.
fn public(result: Result<Response, AppError>) -> Response {
    let mut response = result.unwrap_or_else(IntoResponse::into_response);
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

/// The definition as JSON with its ETag, or 304 when `If-None-Match` names that ETag.
fn cacheable(
    definition: &Definition,
    headers: &HeaderMap,
    cache_control: &'static str,
) -> Response {
    let body = serde_json::to_vec(definition).unwrap_or_default();
    let digest = Sha256::digest(&body);
    let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let etag = format!("\"{}-{hash}\"", definition.version);
    let matches = headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*");
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response()
    };
    let h = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

/// Publishes a new version: 201 with [`Published`]; 401 without a valid token; 403 for a
/// manager; 400 for a body that is not a definition; 422 `invalid_survey` naming every field
/// that breaks the rules.
async fn publish(
    State(state): State<AppState>,
    AppPath(id): AppPath<String>,
    caller: Caller,
    AppJsonOf(body): AppJsonOf<serde_json::Value, SURVEY_BODY_LIMIT>,
) -> Result<(StatusCode, Json<Published>), AppError> {
    caller.require(&[Role::Marketer])?;
    // model's one reader of the format; its error names the field's JSON path.
    let mut definition = Definition::read(&&body).map_err(|e| {
        AppError::from(BodyError::Shape {
            field: (!e.field.is_empty()).then_some(e.field),
            message: e.message,
        })
    })?;
    // model's rules, and the id must be the URL's (the Studio checks the same before publish).
    let report = definition.check_publish_as(&id);
    let mut errors = report.errors;
    // The collector numbers versions; whatever the body says is replaced.
    errors.retain(|e| e.field != "version");
    if !errors.is_empty() {
        return Err(AppError::InvalidSurvey(errors));
    }
    // `default` version 1 is the built-in survey, so a published `default` starts at 2.
    let builtin = default_definition();
    let first = if id == builtin.id {
        builtin.version + 1
    } else {
        1
    };
    let published = state
        .store
        .publish_survey(&mut definition, &caller.name, first)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(Published {
            id,
            version: published.version,
            author: caller.name,
            published_at: published.published_at,
            warnings: report.warnings,
        }),
    ))
}
