//! The collector's survey API, as the Studio calls it (docs/collector.md): the list and publish
//! with the signed-in token as `Authorization: Bearer …`, the published versions without one.
//! The Studio is served by the collector, so every path is on the same origin.

use gloo_net::http::{Request, Response};
use model::{Definition, FieldError};
use serde::Deserialize;

/// The list of surveys, and where a survey is published.
const SURVEYS: &str = "/v1/surveys";

/// Why a call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// 401: no token, or an unknown or revoked one.
    Unauthorized,
    /// 403: the token's role may not do this (a manager publishing).
    Forbidden,
    /// 404: no such survey or version.
    NotFound,
    /// 400 or 422: the collector refused the definition, naming each field.
    Rejected(String, Vec<FieldError>),
    /// The collector could not be reached.
    Network,
    /// Any other answer, or a body that is not what the API documents.
    Status(u16, String),
}

/// One survey in the list: its current version, who published it and when.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct SurveyListItem {
    /// The survey's id.
    pub id: String,
    /// Its current version.
    pub version: u32,
    /// Who published it; `None` for the built-in survey.
    pub author: Option<String>,
    /// When, RFC 3339 in UTC; `None` for the built-in survey.
    pub published_at: Option<String>,
}

#[derive(Deserialize)]
struct SurveyList {
    surveys: Vec<SurveyListItem>,
}

/// What a publish answers.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct Published {
    /// The version the survey got.
    pub version: u32,
    /// Things that did not stop the publish, such as a missing translation.
    pub warnings: Vec<FieldError>,
}

#[derive(Deserialize)]
struct ErrorBody {
    message: String,
    #[serde(default)]
    fields: Vec<FieldError>,
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn survey_path(id: &str) -> String {
    format!("{SURVEYS}/{id}")
}

/// Every survey, by id. Also how sign-in checks a token.
pub async fn list(token: &str) -> Result<Vec<SurveyListItem>, ApiError> {
    let response = Request::get(SURVEYS)
        .header("Authorization", &bearer(token))
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    let list: SurveyList = read(response).await?;
    Ok(list.surveys)
}

/// The current version of survey `id`.
pub async fn current(id: &str) -> Result<Definition, ApiError> {
    get_definition(&survey_path(id)).await
}

/// Version `version` of survey `id`.
pub async fn version(id: &str, version: u32) -> Result<Definition, ApiError> {
    get_definition(&format!("{}/versions/{version}", survey_path(id))).await
}

async fn get_definition(path: &str) -> Result<Definition, ApiError> {
    let response = Request::get(path)
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response).await
}

/// Publishes `def` as the next version of survey `id` (the collector refuses a `def.id` that
/// differs, naming `id`).
pub async fn publish(token: &str, id: &str, def: &Definition) -> Result<Published, ApiError> {
    let response = Request::put(&survey_path(id))
        .header("Authorization", &bearer(token))
        .header("Content-Type", "application/json")
        .body(def.to_json())
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    read(response).await
}

/// The body of a 2xx as `T`, or the error the status means.
async fn read<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let body = response.text().await.map_err(|_| ApiError::Network)?;
    if (200..300).contains(&status) {
        return serde_json::from_str(&body).map_err(|e| ApiError::Status(status, e.to_string()));
    }
    let error: Option<ErrorBody> = serde_json::from_str(&body).ok();
    Err(match status {
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden,
        404 => ApiError::NotFound,
        400 | 422 => {
            let error = error.unwrap_or(ErrorBody {
                message: body,
                fields: Vec::new(),
            });
            ApiError::Rejected(error.message, error.fields)
        }
        _ => ApiError::Status(status, error.map(|e| e.message).unwrap_or(body)),
    })
}

impl ApiError {
    /// What to tell the user, in the UI language.
    pub fn describe(&self, s: &crate::i18n::Strings) -> String {
        match self {
            ApiError::Unauthorized => s.session_expired.to_owned(),
            ApiError::Forbidden => s.forbidden.to_owned(),
            ApiError::Network => s.network_error.to_owned(),
            ApiError::NotFound => format!("{}404", s.server_error),
            ApiError::Rejected(message, fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect();
                format!("{}{message} {}", s.rejected, fields.join("; "))
            }
            ApiError::Status(status, message) => format!("{}{status} {message}", s.server_error),
        }
    }
}
