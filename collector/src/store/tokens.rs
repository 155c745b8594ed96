//! API tokens: stored as their SHA-256 only (see `crate::auth`).

use time::OffsetDateTime;

use super::{Pool, RECEIVED_AT_FORMAT, Store, StoreError};
use crate::auth::{Caller, Role};

/// A stored token, as `survey-collector token list` shows it (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRow {
    /// Its name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// When it was created: RFC 3339 in UTC.
    pub created_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
}

fn now() -> Result<String, StoreError> {
    Ok(OffsetDateTime::now_utc().format(RECEIVED_AT_FORMAT)?)
}

impl Store {
    /// Stores a token by its hash, with a name and a role.
    pub async fn create_token(
        &self,
        token_sha256: &str,
        name: &str,
        role: Role,
    ) -> Result<(), StoreError> {
        let created_at = now()?;
        with_pool!(self, |pool| {
            sqlx::query(
                "INSERT INTO api_tokens (token_sha256, name, role, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(token_sha256)
            .bind(name)
            .bind(role.name())
            .bind(&created_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// The caller a live (not revoked) token with this hash belongs to.
    pub async fn caller(&self, token_sha256: &str) -> Result<Option<Caller>, StoreError> {
        let row: Option<(String, String)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT name, role FROM api_tokens \
                 WHERE token_sha256 = $1 AND revoked_at IS NULL",
            )
            .bind(token_sha256)
            .fetch_optional(pool)
            .await?
        });
        // A role this build does not know grants nothing.
        Ok(row.and_then(|(name, role)| {
            Some(Caller {
                name,
                role: Role::from_name(&role)?,
            })
        }))
    }

    /// Every token, oldest first.
    pub async fn tokens(&self) -> Result<Vec<TokenRow>, StoreError> {
        let rows: Vec<(String, String, String, Option<String>)> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT name, role, created_at, revoked_at FROM api_tokens \
                 ORDER BY created_at, name",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(name, role, created_at, revoked_at)| {
                Some(TokenRow {
                    name,
                    role: Role::from_name(&role)?,
                    created_at,
                    revoked_at,
                })
            })
            .collect())
    }

    /// Revokes every live token named `name`; the number revoked.
    pub async fn revoke_tokens(&self, name: &str) -> Result<u64, StoreError> {
        let revoked_at = now()?;
        Ok(with_pool!(self, |pool| {
            sqlx::query(
                "UPDATE api_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL",
            )
            .bind(&revoked_at)
            .bind(name)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }
}
