//! What a web browser can make the server do: nothing it was not meant to.
//!
//! A page the developer visits can send requests to `127.0.0.1:7777` — with
//! a foreign `Host` when it rebinds its own domain to the loopback address
//! (DNS rebinding), or as a "simple" cross-site POST (a form, `text/plain`)
//! whose answer it cannot read but whose effect happens (CSRF). This module
//! refuses both before any route runs:
//!
//! - [`AllowedHosts`]: the `Host` (and an absolute request URI's authority)
//!   must name this server: the loopback names (`localhost`, `127.0.0.1`,
//!   `[::1]`, any port), the bound address when it is not a loopback one, and
//!   the names the operator configured (`[server] allowed_hosts`,
//!   `--allow-host`, `BRAIN_ALLOWED_HOSTS`). The same list is handed to rmcp
//!   for `/mcp`.
//! - An `Origin` header, when a browser sends one, must be one of those hosts
//!   or a configured CORS origin.
//! - `POST /graphql` must be `Content-Type: application/json` (checked in the
//!   handler, see [`is_json`]): a browser cannot send that cross-site without
//!   a CORS preflight, which gets no CORS headers unless configured.

use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Json, Response};
use std::net::SocketAddr;
use std::sync::Arc;

/// One allowed name: a host, and a port when the entry named one.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HostEntry {
    host: String,
    port: Option<u16>,
}

/// The `Host` names this server answers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowedHosts {
    entries: Vec<HostEntry>,
    /// Exact origins (`https://portal.example:8443`) a browser may call from.
    cors_origins: Vec<String>,
}

/// Loopback names, answered on any port.
const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

impl AllowedHosts {
    /// Loopback names, `bound` when it is neither loopback nor unspecified
    /// (`0.0.0.0` is no name a client uses), and `extra` (`name` or
    /// `name:port`; ports of other entries are not checked).
    pub fn new(bound: Option<SocketAddr>, extra: &[String], cors_origins: &[String]) -> Self {
        let mut entries: Vec<HostEntry> =
            LOOPBACK.iter().map(|h| HostEntry { host: (*h).to_string(), port: None }).collect();
        if let Some(a) = bound.filter(|a| !a.ip().is_loopback() && !a.ip().is_unspecified()) {
            entries.push(HostEntry { host: a.ip().to_string(), port: None });
        }
        entries.extend(extra.iter().filter_map(|e| parse_authority(e.trim())));
        entries.dedup();
        let cors_origins = cors_origins.iter().map(|o| o.trim().trim_end_matches('/').to_ascii_lowercase()).collect();
        AllowedHosts { entries, cors_origins }
    }

    /// The entries as rmcp's `allowed_hosts` wants them (`name` or `name:port`).
    pub fn for_rmcp(&self) -> Vec<String> {
        self.entries
            .iter()
            .map(|e| match e.port {
                Some(p) if e.host.contains(':') => format!("[{}]:{p}", e.host),
                Some(p) => format!("{}:{p}", e.host),
                None => e.host.clone(),
            })
            .collect()
    }

    /// The names, for messages.
    pub fn describe(&self) -> String {
        self.for_rmcp().join(", ")
    }

    fn allows(&self, authority: &HostEntry) -> bool {
        self.entries.iter().any(|e| e.host == authority.host && e.port.is_none_or(|p| Some(p) == authority.port))
    }

    /// `Ok` when the request names this server, else why not.
    pub fn check(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), String> {
        if let Some(a) = uri.authority() {
            let e = parse_authority(a.as_str()).ok_or_else(|| format!("the request URI's host '{a}' is not valid"))?;
            if !self.allows(&e) {
                return Err(self.foreign("request URI host", a.as_str()));
            }
        }
        // A client without a Host header is no browser (browsers always send
        // one), so it cannot be a rebinding page.
        if let Some(h) = headers.get(header::HOST) {
            let text = h.to_str().map_err(|_| "the Host header is not valid text".to_string())?;
            let e = parse_authority(text).ok_or_else(|| format!("the Host header '{}' is not valid", shown(text)))?;
            if !self.allows(&e) {
                return Err(self.foreign("Host", text));
            }
        }
        if let Some(o) = headers.get(header::ORIGIN) {
            let text = o.to_str().map_err(|_| "the Origin header is not valid text".to_string())?;
            if !self.allows_origin(text) {
                return Err(format!(
                    "requests from the web page at '{}' are not allowed: only pages served by this server's own hosts ({}) or configured CORS origins ([server] cors_origins) may call it",
                    shown(text),
                    self.describe()
                ));
            }
        }
        Ok(())
    }

    fn foreign(&self, what: &str, value: &str) -> String {
        format!(
            "the {what} '{}' is not a name this server answers to (it answers to {}): a web page on another domain may be trying to read it (DNS rebinding). If this is a name you use for the server, add it with --allow-host, BRAIN_ALLOWED_HOSTS or [server] allowed_hosts in brain.toml",
            shown(value),
            self.describe()
        )
    }

    /// An `Origin` is allowed when it is a configured CORS origin or an
    /// `http(s)` origin on an allowed host (GraphiQL served by this server).
    pub fn allows_origin(&self, origin: &str) -> bool {
        let o = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        if self.cors_origins.contains(&o) {
            return true;
        }
        let Some(rest) = o.strip_prefix("http://").or_else(|| o.strip_prefix("https://")) else { return false };
        parse_authority(rest).is_some_and(|e| self.allows(&e))
    }

    /// The configured CORS origins.
    pub fn cors_origins(&self) -> &[String] {
        &self.cors_origins
    }
}

/// Whether `s` is a valid allowed-host entry (`name` or `name:port`).
pub fn is_host_entry(s: &str) -> bool {
    parse_authority(s.trim()).is_some()
}

/// `host`, `host:port`, `[v6]`, `[v6]:port` -> lower-cased host without
/// brackets or a trailing dot, and the port.
fn parse_authority(s: &str) -> Option<HostEntry> {
    let a: axum::http::uri::Authority = s.parse().ok()?;
    if a.as_str().contains('@') {
        return None; // userinfo has no place in a Host
    }
    let host = a.host().trim_start_matches('[').trim_end_matches(']').trim_end_matches('.').to_ascii_lowercase();
    if host.is_empty() {
        return None;
    }
    Some(HostEntry { host, port: a.port_u16() })
}

/// A header value as it may appear in a message: bounded, no control characters.
fn shown(s: &str) -> String {
    s.chars().take(200).map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// Refuses requests that do not name this server (see the module docs).
pub async fn check_host(
    axum::extract::State(hosts): axum::extract::State<Arc<AllowedHosts>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if let Err(msg) = hosts.check(req.uri(), req.headers()) {
        tracing::warn!(reason = %msg, "refused a request for a foreign host or origin");
        return (StatusCode::FORBIDDEN, Json(crate::gql::error_body(&msg, "FORBIDDEN"))).into_response();
    }
    next.run(req).await
}

/// Whether a request body is declared JSON (`application/json`, any parameters).
pub fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("header"));
        }
        h
    }

    #[test]
    fn loopback_names_on_any_port_and_configured_names_pass() {
        let a = AllowedHosts::new(Some("10.1.2.3:7777".parse().expect("addr")), &["brain.internal".into()], &[]);
        let uri: Uri = "/graphql".parse().expect("uri");
        for ok in ["localhost", "LOCALHOST:7777", "127.0.0.1:1", "[::1]:7777", "10.1.2.3:7777", "brain.internal."] {
            assert!(a.check(&uri, &headers(&[("host", ok)])).is_ok(), "{ok}");
        }
        for bad in ["evil.example", "evil.example:7777", "127.0.0.1.evil.example", "localhost.evil"] {
            let err = a.check(&uri, &headers(&[("host", bad)])).expect_err(bad);
            assert!(err.contains("--allow-host"), "{err}");
        }
        let err = a.check(&uri, &headers(&[("host", "u@localhost")])).expect_err("userinfo");
        assert!(err.contains("not valid"), "{err}");
        let abs: Uri = "http://evil.example/graphql".parse().expect("uri");
        assert!(a.check(&abs, &headers(&[("host", "localhost")])).is_err());
    }

    #[test]
    fn a_port_in_an_entry_is_checked_and_origins_follow_the_hosts() {
        let a = AllowedHosts::new(None, &["brain.internal:8443".into()], &["https://portal.example".into()]);
        let uri: Uri = "/".parse().expect("uri");
        assert!(a.check(&uri, &headers(&[("host", "brain.internal:8443")])).is_ok());
        assert!(a.check(&uri, &headers(&[("host", "brain.internal:80")])).is_err());
        assert!(a.allows_origin("http://127.0.0.1:7777"));
        assert!(a.allows_origin("https://portal.example/"));
        assert!(!a.allows_origin("https://evil.example"));
        assert!(!a.allows_origin("null"));
        assert_eq!(a.for_rmcp(), ["localhost", "127.0.0.1", "::1", "brain.internal:8443"]);
    }

    #[test]
    fn only_json_bodies_are_json() {
        assert!(is_json(&headers(&[("content-type", "application/json; charset=utf-8")])));
        for bad in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
            assert!(!is_json(&headers(&[("content-type", bad)])), "{bad}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }
}
