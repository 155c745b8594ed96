//! Published survey definitions: every version kept, none ever changed.

use model::Definition;
use time::OffsetDateTime;

use super::{Pool, RECEIVED_AT_FORMAT, Store, StoreError};

/// A stored version of a survey.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredSurvey {
    /// The definition, with its id and version.
    pub definition: Definition,
    /// The name of the token that published it.
    pub author: String,
    /// When: RFC 3339 in UTC.
    pub published_at: String,
}

/// What [`Store::publish_survey`] stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedVersion {
    /// The version number it got.
    pub version: u32,
    /// When: RFC 3339 in UTC.
    pub published_at: String,
}

/// The newest version of one survey, for the list of surveys.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurveySummary {
    /// The survey's id.
    pub id: String,
    /// Its newest version.
    pub version: u32,
    /// Who published that version (a token's name).
    pub author: String,
    /// When: RFC 3339 in UTC.
    pub published_at: String,
}

/// How often a publish retries when another publish of the same survey took its number.
const PUBLISH_ATTEMPTS: usize = 5;

impl Store {
    /// The newest stored version of survey `id`, if any.
    pub async fn latest_survey(&self, id: &str) -> Result<Option<StoredSurvey>, StoreError> {
        let row: Option<(String, String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT definition, author, published_at FROM survey_versions \
                 WHERE survey_id = $1 ORDER BY version DESC LIMIT 1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await?
        });
        row.map(stored).transpose()
    }

    /// The newest version of every stored survey, by id.
    pub async fn survey_summaries(&self) -> Result<Vec<SurveySummary>, StoreError> {
        let rows: Vec<(String, i64, String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT s.survey_id, s.version, s.author, s.published_at FROM survey_versions s \
                 WHERE s.version = (SELECT MAX(t.version) FROM survey_versions t \
                 WHERE t.survey_id = s.survey_id) ORDER BY s.survey_id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, version, author, published_at)| SurveySummary {
                id,
                version: u32::try_from(version).unwrap_or(u32::MAX),
                author,
                published_at,
            })
            .collect())
    }

    /// Version `version` of survey `id`, if stored.
    pub async fn survey_version(
        &self,
        id: &str,
        version: u32,
    ) -> Result<Option<StoredSurvey>, StoreError> {
        let row: Option<(String, String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT definition, author, published_at FROM survey_versions \
                 WHERE survey_id = $1 AND version = $2",
            )
            .bind(id)
            .bind(i64::from(version))
            .fetch_optional(pool)
            .await?
        });
        row.map(stored).transpose()
    }

    /// Stores `definition` as the next version of its survey: one more than the newest
    /// stored, and at least `first`. Its `version` field is set to that number. Old versions
    /// are never touched; two concurrent publishes get two numbers.
    pub async fn publish_survey(
        &self,
        definition: &mut Definition,
        author: &str,
        first: u32,
    ) -> Result<PublishedVersion, StoreError> {
        let published_at = OffsetDateTime::now_utc().format(RECEIVED_AT_FORMAT)?;
        for _ in 0..PUBLISH_ATTEMPTS {
            let newest: Option<i64> = with_pool!(self, |pool| {
                sqlx::query_scalar("SELECT MAX(version) FROM survey_versions WHERE survey_id = $1")
                    .bind(&definition.id)
                    .fetch_one(pool)
                    .await?
            });
            let next = newest
                .and_then(|v| u32::try_from(v).ok())
                .map_or(first, |v| v.saturating_add(1).max(first));
            definition.version = next;
            let json = serde_json::to_string(definition)?;
            let inserted = with_pool!(self, |pool| {
                sqlx::query(
                    "INSERT INTO survey_versions (survey_id, version, definition, author, \
                     published_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                )
                .bind(&definition.id)
                .bind(i64::from(next))
                .bind(&json)
                .bind(author)
                .bind(&published_at)
                .execute(pool)
                .await?
                .rows_affected()
            });
            if inserted > 0 {
                return Ok(PublishedVersion {
                    version: next,
                    published_at,
                });
            }
        }
        Err(StoreError::PublishContended(definition.id.clone()))
    }
}

fn stored(
    (definition, author, published_at): (String, String, String),
) -> Result<StoredSurvey, StoreError> {
    Ok(StoredSurvey {
        definition: serde_json::from_str(&definition)?,
        author,
        published_at,
    })
}
