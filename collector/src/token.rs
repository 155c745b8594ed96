//! Signed transactions: the token a utility's back end mints for each transaction, and its
//! verification. The algorithm is specified, with test vectors, in
//! `docs/signed-transactions.md`; a test here checks the vectors in that file.
//!
//! A token is `v1.<kid>.<expiry>.<mac>`: the key id, the expiry in Unix seconds, and the
//! base64url (no padding) HMAC-SHA256, under the key named by `kid`, of the netstrings of
//! `v1`, kid, survey id, transaction id, type, unit and expiry.

use std::{fmt, str::FromStr};

use base64::{
    Engine,
    engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD},
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The token format's version, its first dot-separated part.
pub const TOKEN_VERSION: &str = "v1";
/// The fewest bytes a key may have: the size of an HMAC-SHA256 output.
pub const MIN_KEY_BYTES: usize = 32;
/// The longest key id, in ASCII characters.
pub const MAX_KID_CHARS: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// A key for signing and verifying transaction tokens: its id and its secret.
///
/// Parsed from `kid=base64secret` (standard base64, padding optional). Its `Debug` shows only
/// the id, so a configuration can be logged.
#[derive(Clone, PartialEq, Eq)]
pub struct TransactionKey {
    kid: String,
    secret: Vec<u8>,
}

impl TransactionKey {
    /// The key's id, as written in the tokens it signs.
    pub fn kid(&self) -> &str {
        &self.kid
    }
}

impl fmt::Debug for TransactionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TransactionKey({}=***)", self.kid)
    }
}

/// Why a `kid=base64secret` value was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    /// There is no `=` between the id and the secret.
    #[error("write a key as kid=base64secret")]
    NoSeparator,
    /// The id is empty, too long or uses characters other than `A-Z a-z 0-9 _ -`.
    #[error("a key id is 1 to {MAX_KID_CHARS} characters of A-Z, a-z, 0-9, _ and -")]
    BadKid,
    /// The secret is not base64.
    #[error("the secret is not base64")]
    NotBase64,
    /// The secret is shorter than [`MIN_KEY_BYTES`].
    #[error("the secret must be at least {MIN_KEY_BYTES} bytes (openssl rand -base64 32)")]
    TooShort,
}

impl FromStr for TransactionKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (kid, secret) = s.trim().split_once('=').ok_or(KeyError::NoSeparator)?;
        if !is_kid(kid) {
            return Err(KeyError::BadKid);
        }
        // Standard base64, as `openssl rand -base64 32` prints it; padding may be dropped.
        let secret = secret.trim_end_matches('=');
        let secret = STANDARD_NO_PAD
            .decode(secret)
            .map_err(|_| KeyError::NotBase64)?;
        if secret.len() < MIN_KEY_BYTES {
            return Err(KeyError::TooShort);
        }
        Ok(TransactionKey {
            kid: kid.to_owned(),
            secret,
        })
    }
}

fn is_kid(kid: &str) -> bool {
    (1..=MAX_KID_CHARS).contains(&kid.len())
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// What a token vouches for: the transaction, as the payload names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claims<'a> {
    /// `survey.id`.
    pub survey_id: &'a str,
    /// `transaction.id`.
    pub transaction_id: &'a str,
    /// `transaction.type`.
    pub kind: &'a str,
    /// `transaction.unit`.
    pub unit: &'a str,
}

/// The token for `claims`, signed with `key`, valid until `expiry` (Unix seconds).
pub fn mint(key: &TransactionKey, claims: Claims<'_>, expiry: u64) -> String {
    let expiry = expiry.to_string();
    let mac = mac(key, claims, &expiry).finalize().into_bytes();
    format!(
        "{TOKEN_VERSION}.{}.{expiry}.{}",
        key.kid,
        URL_SAFE_NO_PAD.encode(mac)
    )
}

/// A token that is not valid for the payload. Deliberately says nothing about why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the transaction token is not valid")]
pub struct InvalidToken;

/// Checks that `token` was minted with one of `keys` for exactly `claims` and has not expired
/// at `now` (Unix seconds). The MAC is compared in constant time.
pub fn verify(
    keys: &[TransactionKey],
    token: &str,
    claims: Claims<'_>,
    now: u64,
) -> Result<(), InvalidToken> {
    let mut parts = token.split('.');
    let (Some(version), Some(kid), Some(expiry_text), Some(mac_text), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(InvalidToken);
    };
    if version != TOKEN_VERSION {
        return Err(InvalidToken);
    }
    let key = keys.iter().find(|k| k.kid == kid).ok_or(InvalidToken)?;
    let expiry = parse_expiry(expiry_text).ok_or(InvalidToken)?;
    // The engine refuses padding and non-zero trailing bits, so each MAC has one spelling.
    let sent = URL_SAFE_NO_PAD.decode(mac_text).map_err(|_| InvalidToken)?;
    mac(key, claims, expiry_text)
        .verify_slice(&sent)
        .map_err(|_| InvalidToken)?;
    if expiry <= now {
        return Err(InvalidToken);
    }
    Ok(())
}

/// Canonical decimal only (no sign, no leading zero), so one expiry has one spelling.
fn parse_expiry(text: &str) -> Option<u64> {
    let canonical = !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

/// The HMAC over the netstrings of the version, kid, claims and expiry.
fn mac(key: &TransactionKey, claims: Claims<'_>, expiry: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(&key.secret).expect("HMAC takes keys of any length");
    for field in [
        TOKEN_VERSION,
        &key.kid,
        claims.survey_id,
        claims.transaction_id,
        claims.kind,
        claims.unit,
        expiry,
    ] {
        mac.update(format!("{}:", field.len()).as_bytes());
        mac.update(field.as_bytes());
        mac.update(b",");
    }
    mac
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD;

    use super::*;

    /// The test vectors of `docs/signed-transactions.md`, parsed from the document itself so
    /// that the document cannot drift from the code.
    #[derive(serde::Deserialize)]
    struct Vector {
        key: String,
        survey_id: String,
        transaction_id: String,
        #[serde(rename = "type")]
        kind: String,
        unit: String,
        expiry: u64,
        mac_input: String,
        token: String,
    }

    fn documented_vectors() -> Vec<Vector> {
        let doc = include_str!("../../docs/signed-transactions.md");
        let start = doc
            .find("```json test-vectors\n")
            .expect("a ```json test-vectors block");
        let block = &doc[start..];
        let block = &block[block.find('\n').expect("newline") + 1..];
        let block = &block[..block.find("```").expect("end of the block")];
        serde_json::from_str(block).expect("the vectors are JSON")
    }

    fn claims(v: &Vector) -> Claims<'_> {
        Claims {
            survey_id: &v.survey_id,
            transaction_id: &v.transaction_id,
            kind: &v.kind,
            unit: &v.unit,
        }
    }

    #[test]
    fn the_documented_vectors_mint_and_verify() {
        let vectors = documented_vectors();
        assert!(vectors.len() >= 3);
        for v in &vectors {
            let key: TransactionKey = v.key.parse().expect("key");
            assert_eq!(mint(&key, claims(v), v.expiry), v.token, "{}", v.token);
            let mut input = Vec::new();
            for field in [
                TOKEN_VERSION,
                key.kid(),
                &v.survey_id,
                &v.transaction_id,
                &v.kind,
                &v.unit,
                &v.expiry.to_string(),
            ] {
                input.extend_from_slice(format!("{}:{field},", field.len()).as_bytes());
            }
            assert_eq!(String::from_utf8(input).expect("UTF-8"), v.mac_input);
            assert_eq!(
                verify(&[key], &v.token, claims(v), v.expiry - 1),
                Ok(()),
                "{}",
                v.token
            );
        }
    }

    fn key(kid: &str, byte: u8) -> TransactionKey {
        format!("{kid}={}", STANDARD.encode([byte; 32]))
            .parse()
            .expect("key")
    }

    const CLAIMS: Claims<'static> = Claims {
        survey_id: "default",
        transaction_id: "PAY-1",
        kind: "bill_payment",
        unit: "城东",
    };

    #[test]
    fn every_change_makes_a_token_invalid() {
        let k1 = key("k1", 1);
        let token = mint(&k1, CLAIMS, 1000);
        let keys = [k1.clone()];
        assert_eq!(verify(&keys, &token, CLAIMS, 999), Ok(()));
        assert_eq!(verify(&keys, &token, CLAIMS, 1000), Err(InvalidToken));
        for claims in [
            Claims {
                survey_id: "other",
                ..CLAIMS
            },
            Claims {
                transaction_id: "PAY-2",
                ..CLAIMS
            },
            Claims {
                kind: "meter",
                ..CLAIMS
            },
            Claims {
                unit: "城西",
                ..CLAIMS
            },
            // Moving a character between fields is a different message.
            Claims {
                transaction_id: "PAY-1b",
                kind: "ill_payment",
                ..CLAIMS
            },
        ] {
            assert_eq!(verify(&keys, &token, claims, 0), Err(InvalidToken));
        }
        assert_eq!(
            verify(&[key("k1", 2)], &token, CLAIMS, 0),
            Err(InvalidToken)
        );
        assert_eq!(
            verify(&[key("k2", 1)], &token, CLAIMS, 0),
            Err(InvalidToken)
        );
        let later = token.replace(".1000.", ".2000.");
        assert_eq!(verify(&keys, &later, CLAIMS, 0), Err(InvalidToken));
        let padded = token.replace(".1000.", ".01000.");
        assert_eq!(verify(&keys, &padded, CLAIMS, 0), Err(InvalidToken));
        for malformed in [
            "",
            "v1",
            "v1.k1.1000",
            &format!("{token}."),
            &format!("{token}="),
            &token.replacen("v1.", "v2.", 1),
            &token.replacen("v1.", "V1.", 1),
        ] {
            assert_eq!(verify(&keys, malformed, CLAIMS, 0), Err(InvalidToken));
        }
    }

    #[test]
    fn any_configured_key_verifies_its_tokens() {
        let (old, new) = (key("2026-01", 1), key("2026-07", 2));
        let keys = [old.clone(), new.clone()];
        for k in [&old, &new] {
            assert_eq!(verify(&keys, &mint(k, CLAIMS, 10), CLAIMS, 0), Ok(()));
        }
    }

    #[test]
    fn keys_are_parsed_strictly_and_never_shown() {
        let secret = STANDARD.encode([7u8; 32]);
        let parsed: TransactionKey = format!("k-1_A={secret}").parse().expect("key");
        assert_eq!(parsed.kid(), "k-1_A");
        assert!(!format!("{parsed:?}").contains(&secret));
        let unpadded = STANDARD.encode([7u8; 32]).trim_end_matches('=').to_owned();
        assert_eq!(format!("k-1_A={unpadded}").parse(), Ok(parsed));
        assert_eq!("k1".parse::<TransactionKey>(), Err(KeyError::NoSeparator));
        for kid in ["", "k.1", "k 1", &"k".repeat(MAX_KID_CHARS + 1)] {
            assert_eq!(
                format!("{kid}={secret}").parse::<TransactionKey>(),
                Err(KeyError::BadKid)
            );
        }
        assert_eq!(
            "k1=not base64!".parse::<TransactionKey>(),
            Err(KeyError::NotBase64)
        );
        let short = STANDARD.encode([7u8; 31]);
        assert_eq!(
            format!("k1={short}").parse::<TransactionKey>(),
            Err(KeyError::TooShort)
        );
    }
}
