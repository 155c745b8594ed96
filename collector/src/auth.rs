//! API tokens with a role: how a request proves who sends it.
//!
//! A token is `sv_` and 64 hex digits: 256 bits from the operating system's random source. It
//! is shown once, when `survey-collector token create` makes it, and stored only as its SHA-256. A
//! fast hash is enough here: slow hashes (bcrypt, Argon2) exist to make guessing a
//! low-entropy password from its hash expensive, but nobody can guess or enumerate 2^256
//! random tokens, however fast each try is. A request sends it as `Authorization: Bearer
//! sv_…`; [`Caller`] finds the live token with that hash.
//!
//! - no token, a malformed one, an unknown one or a revoked one: 401 `unauthorized`, with
//!   `WWW-Authenticate: Bearer`;
//! - a known token whose role may not do this: 403 `forbidden` ([`Caller::require`]).

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{AppError, AppState};

/// The prefix of every token, so that a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "sv_";

/// What a token may do.
///
/// Public contract: the names are used by the CLI and stored. Changing one is a breaking change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Edits and publishes surveys.
    Marketer,
    /// Reads reports and works through follow-ups (later issues).
    Manager,
    /// Everything.
    Admin,
}

impl Role {
    /// The stored and printed name.
    pub const fn name(self) -> &'static str {
        match self {
            Role::Marketer => "marketer",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// The role with this stored name.
    pub fn from_name(name: &str) -> Option<Role> {
        [Role::Marketer, Role::Manager, Role::Admin]
            .into_iter()
            .find(|role| role.name() == name)
    }
}

/// A new random token. `None` only if the operating system has no random source.
pub fn new_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).ok()?;
    Some(format!("{TOKEN_PREFIX}{}", hex(&bytes)))
}

/// The stored form of `token`: its SHA-256, lowercase hex.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `token` has the shape of a token (so that junk never reaches the database).
fn looks_like_token(token: &str) -> bool {
    token.strip_prefix(TOKEN_PREFIX).is_some_and(|hex| {
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The sender of a request, proven by a live token. Extracting it answers 401 when the
/// request has no valid token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The token's name, such as `alice`: recorded as the author of what it changes.
    pub name: String,
    /// What it may do.
    pub role: Role,
}

impl Caller {
    /// `Ok` when the caller's role is one of `roles` (admin always is), else 403.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if self.role == Role::Admin || roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|token| looks_like_token(token))
            .ok_or(AppError::Unauthorized)?;
        state
            .store
            .caller(&token_hash(token))
            .await?
            .ok_or(AppError::Unauthorized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_hashed() {
        let a = new_token().expect("random");
        let b = new_token().expect("random");
        assert_ne!(a, b);
        assert!(looks_like_token(&a), "{a}");
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        for junk in ["", "sv_", "sv_xyz", &a.to_uppercase(), &a[1..]] {
            assert!(!looks_like_token(junk), "{junk}");
        }
    }

    #[test]
    fn admin_may_do_everything_and_others_only_their_part() {
        let caller = |role| Caller {
            name: "alice".to_owned(),
            role,
        };
        assert!(caller(Role::Marketer).require(&[Role::Marketer]).is_ok());
        assert!(caller(Role::Admin).require(&[Role::Marketer]).is_ok());
        assert!(matches!(
            caller(Role::Manager).require(&[Role::Marketer]),
            Err(AppError::Forbidden)
        ));
        for role in [Role::Marketer, Role::Manager, Role::Admin] {
            assert_eq!(Role::from_name(role.name()), Some(role));
        }
        assert_eq!(Role::from_name("root"), None);
    }
}
