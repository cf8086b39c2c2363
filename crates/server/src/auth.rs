//! Bearer tokens: a write token for mutations, an optional read token.

use axum::http::HeaderMap;

/// Configured tokens. `None` means that scope is open (reads) or closed (writes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    pub read: Option<String>,
    pub write: Option<String>,
}

/// What the caller may do, attached to every GraphQL request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("a bearer token is required: send 'Authorization: Bearer <token>'")]
    Missing,
    #[error("the bearer token is not valid")]
    Invalid,
}

/// The realm named in `WWW-Authenticate` challenges.
pub const REALM: &str = "brain";

impl AuthError {
    /// The `WWW-Authenticate` challenge of a 401 (RFC 6750): which scheme to
    /// use, and for a presented token that did not match, `invalid_token`.
    pub fn challenge(&self) -> String {
        match self {
            AuthError::Missing => format!("Bearer realm=\"{REALM}\""),
            AuthError::Invalid => format!(
                "Bearer realm=\"{REALM}\", error=\"invalid_token\", error_description=\"the bearer token is not valid\""
            ),
        }
    }
}

impl Tokens {
    /// Resolves the caller's access from the `Authorization` header.
    /// The write token also grants reads.
    pub fn access(&self, headers: &HeaderMap) -> Result<Access, AuthError> {
        let presented = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim);
        match presented {
            Some(t) if self.write.as_deref().is_some_and(|w| constant_time_eq(w, t)) => Ok(Access::Write),
            Some(t) if self.read.as_deref().is_some_and(|r| constant_time_eq(r, t)) => Ok(Access::Read),
            Some(_) => Err(AuthError::Invalid),
            None if self.read.is_none() => Ok(Access::Read),
            None => Err(AuthError::Missing),
        }
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
