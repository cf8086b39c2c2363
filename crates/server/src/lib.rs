//! The brain's HTTP face: GraphQL at `POST /graphql`, GraphiQL at `GET /`,
//! `GET /health`. This is the only crate that knows HTTP, GraphQL and JSON;
//! resolvers are thin calls into `brain-query` over the current snapshot.
//!
//! Secure defaults: the caller decides the address (127.0.0.1 by default in
//! the CLI) and [`ServeOptions::check`] refuses a non-loopback address
//! without tokens; mutations need the write token; reads (and `/metrics`)
//! need the read token when one is set; requests for a foreign `Host` or
//! from a foreign web page are refused ([`guard`]); query depth, complexity,
//! body size and time are bounded.

mod auth;
mod conn;
pub mod gql;
pub mod guard;
pub mod metrics;

pub use auth::{Access, Tokens};
pub use gql::{build_schema, sdl, BrainSchema};
pub use guard::AllowedHosts;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::GraphQLResponse;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Json};
use axum::routing::get;
use axum::Router;
use brain_ingest::Brain;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Bounds applied to every request.
#[derive(Clone, Debug)]
pub struct Limits {
    pub max_body_bytes: usize,
    pub max_depth: usize,
    /// Every field counts 1, list fields count per requested item, the
    /// engine's answers (blast radius, packets, checks) count hundreds.
    pub max_complexity: usize,
    /// Edges all `neighbors` pages of one request may return together.
    pub max_edges: usize,
    /// Time to answer one GraphQL request.
    pub timeout: Duration,
    /// Time a client has to send a request head, from connecting or from
    /// the previous answer on a kept-alive connection (so also the idle limit).
    pub header_timeout: Duration,
    /// Time a client has to send a request body once its head is in.
    pub body_timeout: Duration,
    /// Connections served at once; one more is answered 503 and closed.
    pub max_connections: usize,
    /// MCP sessions held at once; a new one over it is answered 503.
    pub max_mcp_sessions: usize,
    /// An MCP session without a request for this long is closed.
    pub mcp_session_idle: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 1024 * 1024,
            max_depth: 16,
            max_complexity: 20_000,
            max_edges: 50_000,
            timeout: Duration::from_secs(15),
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: 512,
            max_mcp_sessions: 100,
            mcp_session_idle: Duration::from_secs(300),
        }
    }
}

/// Everything `serve` needs besides the brain.
#[derive(Clone, Debug, Default)]
pub struct ServeOptions {
    pub tokens: Tokens,
    pub limits: Limits,
    /// Review policy and other config the queries use.
    pub policy: Vec<brain_ingest::PolicyRuleConfig>,
    /// Configured repositories (for `reingest`).
    pub repos: Vec<brain_ingest::RepoConfig>,
    /// Names (`host` or `host:port`) clients use for this server besides the
    /// loopback names and the bound address; any other `Host` is refused.
    pub allowed_hosts: Vec<String>,
    /// Web origins (`https://portal.example`) whose pages may call the API
    /// (CORS). Empty: no CORS headers, and requests from other pages are refused.
    pub cors_origins: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("refusing to serve on {addr}: it is not a loopback address and {missing} is not set. Set BRAIN_READ_TOKEN and BRAIN_WRITE_TOKEN (or [server] read_token/write_token in brain.toml), or bind 127.0.0.1")]
    InsecureBind { addr: SocketAddr, missing: &'static str },
    #[error("the {0} token is empty: an empty token would let anyone in; set a long random token or none")]
    EmptyToken(&'static str),
    #[error("allowed host '{0}' is not a host name or HOST:PORT")]
    BadHost(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
}

impl ServeOptions {
    /// Refuses a non-loopback address unless both tokens are set.
    pub fn check(&self, addr: SocketAddr) -> Result<(), ServeError> {
        for (which, token) in [("read", &self.tokens.read), ("write", &self.tokens.write)] {
            if token.as_deref().is_some_and(|t| t.trim().is_empty()) {
                return Err(ServeError::EmptyToken(which));
            }
        }
        if let Some(bad) = self.allowed_hosts.iter().find(|h| !guard::is_host_entry(h)) {
            return Err(ServeError::BadHost(bad.clone()));
        }
        if addr.ip().is_loopback() {
            return Ok(());
        }
        if self.tokens.read.is_none() {
            return Err(ServeError::InsecureBind { addr, missing: "a read token" });
        }
        if self.tokens.write.is_none() {
            return Err(ServeError::InsecureBind { addr, missing: "a write token" });
        }
        Ok(())
    }
}

#[derive(Clone)]
struct AppState {
    brain: Arc<Brain>,
    schema: BrainSchema,
    tokens: Tokens,
    limits: Limits,
    parsed: Arc<gql::ParsedQueries>,
}

/// The router, for tests and embedding: it answers the loopback names and
/// `opts.allowed_hosts` (see [`router_at`] for a server bound elsewhere).
pub fn router(brain: Arc<Brain>, opts: &ServeOptions) -> Router {
    router_at(brain, opts, None)
}

/// The router of a server bound to `bound`, which it also answers to when
/// that is not a loopback address.
pub fn router_at(brain: Arc<Brain>, opts: &ServeOptions, bound: Option<SocketAddr>) -> Router {
    let hosts = Arc::new(AllowedHosts::new(bound, &opts.allowed_hosts, &opts.cors_origins));
    let schema = build_schema(brain.clone(), opts);
    // MCP over streamable HTTP, behind the same bearer tokens: the middleware
    // marks each request read or write; the tools refuse writes without the mark.
    // rmcp checks `Host` itself: it gets the same list.
    let mcp_config = rmcp_config(&hosts);
    let (mcp_service, sessions) = brain_mcp::http_service_bounded(
        brain_mcp::BrainMcp::new(brain.clone(), &opts.policy),
        mcp_config,
        opts.limits.mcp_session_idle,
    );
    let gate = McpGate {
        tokens: opts.tokens.clone(),
        sessions,
        max_sessions: opts.limits.max_mcp_sessions,
        idle: opts.limits.mcp_session_idle,
    };
    let mcp = Router::new()
        .nest_service("/mcp", mcp_service)
        .layer(axum::middleware::from_fn_with_state(Arc::new(gate), mcp_access));
    let state =
        AppState { brain, schema, tokens: opts.tokens.clone(), limits: opts.limits.clone(), parsed: Arc::default() };
    let max_body = opts.limits.max_body_bytes;
    let mut app = Router::new()
        .route("/", get(graphiql))
        .route("/graphql", get(graphiql).post(graphql))
        .route("/health", get(health))
        .route("/metrics", get(metrics_page))
        .merge(mcp.with_state(()))
        .layer(axum::middleware::from_fn_with_state(opts.limits.body_timeout, read_body))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(opts.limits.max_body_bytes))
        .layer(axum::middleware::map_response(move |r: axum::response::Response| explain_413(r, max_body)));
    if let Some(cors) = cors_layer(&hosts) {
        app = app.layer(cors);
    }
    app.layer(axum::middleware::from_fn_with_state(hosts, guard::check_host))
        .layer(axum::middleware::from_fn(request_context))
        .with_state(state)
}

/// rmcp's configuration for `/mcp`: the same allowed hosts as every other route.
fn rmcp_config(hosts: &AllowedHosts) -> brain_mcp::rmcp::transport::StreamableHttpServerConfig {
    brain_mcp::rmcp::transport::StreamableHttpServerConfig::default().with_allowed_hosts(hosts.for_rmcp())
}

/// CORS headers for the configured origins only; none when none are configured.
fn cors_layer(hosts: &AllowedHosts) -> Option<tower_http::cors::CorsLayer> {
    use axum::http::{header, HeaderValue, Method};
    let origins: Vec<HeaderValue> = hosts.cors_origins().iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    if origins.is_empty() {
        return None;
    }
    Some(
        tower_http::cors::CorsLayer::new()
            .allow_origin(origins)
            .allow_methods([Method::GET, Method::POST, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::ACCEPT,
                header::HeaderName::from_static("mcp-session-id"),
                header::HeaderName::from_static("mcp-protocol-version"),
            ])
            .expose_headers([header::HeaderName::from_static("mcp-session-id")]),
    )
}

/// Binds `addr` and serves until `shutdown` resolves.
pub async fn serve(
    brain: Arc<Brain>,
    addr: SocketAddr,
    opts: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    opts.check(addr)?;
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|source| ServeError::Bind { addr, source })?;
    serve_listener(brain, listener, opts, shutdown).await
}

/// Serves on an already bound listener (tests bind port 0).
pub async fn serve_listener(
    brain: Arc<Brain>,
    listener: tokio::net::TcpListener,
    opts: ServeOptions,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let app = router_at(brain, &opts, listener.local_addr().ok());
    conn::serve(listener, app, &opts.limits, shutdown).await?;
    Ok(())
}

/// What `/mcp` checks before rmcp sees a request.
struct McpGate {
    tokens: Tokens,
    sessions: brain_mcp::McpSessions,
    max_sessions: usize,
    idle: Duration,
}

/// Reads a request body within [`Limits::body_timeout`] (a client that
/// declares a body and trickles it, or never sends it, is answered 408 and
/// disconnected) and hands the handlers the whole body.
async fn read_body(
    State(limit): State<Duration>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::Method;
    if !matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    match tokio::time::timeout(limit, axum::body::to_bytes(body, usize::MAX)).await {
        Ok(Ok(bytes)) => next.run(axum::extract::Request::from_parts(parts, axum::body::Body::from(bytes))).await,
        Ok(Err(e)) if is_length_limit(&e) => StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        Ok(Err(e)) => {
            let msg = format!("the request body could not be read: {e}");
            (StatusCode::BAD_REQUEST, Json(gql::error_body(&msg, "BAD_INPUT"))).into_response()
        }
        Err(_) => {
            let msg = format!(
                "the request body did not arrive within the limit of {} s and the connection was closed",
                limit.as_secs_f64()
            );
            let mut resp =
                (StatusCode::REQUEST_TIMEOUT, Json(gql::limit_body(&msg, "TIMEOUT", "body_time"))).into_response();
            resp.headers_mut().insert(axum::http::header::CONNECTION, axum::http::HeaderValue::from_static("close"));
            resp
        }
    }
}

/// Whether reading a body failed on the body size limit.
fn is_length_limit(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if err.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cur = err.source();
    }
    false
}

/// Authorises `/mcp` requests like GraphQL ones, tells the MCP tools
/// whether this request may write, and refuses a new session over the cap.
async fn mcp_access(
    State(gate): State<Arc<McpGate>>,
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let opens_session = req.method() == axum::http::Method::POST && !req.headers().contains_key("mcp-session-id");
    match gate.tokens.access(req.headers()) {
        Ok(Access::Write) => {
            req.extensions_mut().insert(brain_mcp::McpAccess::Write);
        }
        Ok(Access::Read) => {
            req.extensions_mut().insert(brain_mcp::McpAccess::Read);
        }
        Err(e) => return unauthorized(&e),
    }
    if opens_session && gate.sessions.count().await >= gate.max_sessions {
        let msg = format!(
            "the server holds its maximum of {} MCP sessions ([server] max_mcp_sessions): close one (DELETE /mcp with its Mcp-Session-Id) or retry after sessions idle for {} s expire",
            gate.max_sessions,
            gate.idle.as_secs()
        );
        return (StatusCode::SERVICE_UNAVAILABLE, Json(gql::limit_body(&msg, "UNAVAILABLE", "mcp_sessions")))
            .into_response();
    }
    next.run(req).await
}

/// A 401 with a GraphQL-shaped body and the `WWW-Authenticate: Bearer realm="brain"`
/// challenge clients (MCP clients, HTTP libraries) look for.
fn unauthorized(e: &auth::AuthError) -> axum::response::Response {
    let mut resp = (StatusCode::UNAUTHORIZED, Json(gql::error_body(&e.to_string(), "UNAUTHENTICATED"))).into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&e.challenge()) {
        resp.headers_mut().insert(axum::http::header::WWW_AUTHENTICATE, v);
    }
    resp
}

/// Gives every request an id (`x-request-id`, kept from the client when it
/// sends one), a tracing span, a log line and a metrics count.
async fn request_context(mut req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_string)
        .unwrap_or_else(|| format!("req-{}", NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)));
    if let Ok(v) = axum::http::HeaderValue::from_str(&id) {
        req.headers_mut().insert("x-request-id", v);
    }
    // The route template, never the raw path (a label per path would grow
    // without bound); `None` when no route matched.
    let route = req.extensions().get::<axum::extract::MatchedPath>().map(|m| m.as_str().to_string());
    let method = req.method().clone();
    let started = std::time::Instant::now();
    let path = req.uri().path().to_string();
    let span = tracing::info_span!("request", request_id = %id, %method, path = %path);
    let mut resp = tracing::Instrument::instrument(next.run(req), span.clone()).await;
    let status = resp.status().as_u16();
    metrics::record_http(route.as_deref(), status);
    span.in_scope(|| tracing::info!(status, ms = started.elapsed().as_millis() as u64, "request done"));
    if let Ok(v) = axum::http::HeaderValue::from_str(&id) {
        resp.headers_mut().insert("x-request-id", v);
    }
    resp
}

async fn metrics_page(State(st): State<AppState>, headers: HeaderMap) -> axum::response::Response {
    if let Err(e) = st.tokens.access(&headers) {
        return unauthorized(&e);
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], metrics::render(&st.brain.snapshot()))
        .into_response()
}

async fn graphiql() -> impl IntoResponse {
    Html(GraphiQLSource::build().endpoint("/graphql").title("brain").finish())
}

async fn health(State(st): State<AppState>) -> impl IntoResponse {
    let g = st.brain.snapshot();
    Json(serde_json::json!({
        "status": "ok",
        "generation": g.generation(),
        "exact": g.is_exact(),
        "nodes": g.node_count(),
        "edges": g.edge_count(),
        "repos": g.repos().len(),
    }))
}

/// A 413 (from the body limit layer or a streamed body that ran over) gets a
/// GraphQL-shaped body that names the limit.
async fn explain_413(resp: axum::response::Response, max_body: usize) -> axum::response::Response {
    if resp.status() != StatusCode::PAYLOAD_TOO_LARGE {
        return resp;
    }
    let msg = format!("the request body is over the limit of {max_body} bytes");
    (StatusCode::PAYLOAD_TOO_LARGE, Json(gql::limit_body(&msg, "BAD_INPUT", "body"))).into_response()
}

async fn graphql(State(st): State<AppState>, headers: HeaderMap, body: axum::body::Bytes) -> axum::response::Response {
    let access = match st.tokens.access(&headers) {
        Ok(a) => a,
        Err(e) => return unauthorized(&e),
    };
    // A browser sends a form or text/plain POST to any site without asking
    // first (CSRF); JSON needs a CORS preflight it will not pass.
    if !guard::is_json(&headers) {
        let msg =
            "POST /graphql needs 'Content-Type: application/json' with a body {\"query\": ..., \"variables\": {...}}";
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, Json(gql::error_body(msg, "BAD_INPUT"))).into_response();
    }
    // The body is read here rather than by async-graphql-axum's extractor so
    // that a streamed body over the limit is a 413, not a 400.
    let mut req: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            let msg = format!("the body is not a GraphQL request ({{\"query\": ..., \"variables\": {{...}}}}): {e}");
            return (StatusCode::BAD_REQUEST, Json(gql::error_body(&msg, "BAD_INPUT"))).into_response();
        }
    };
    if let Some(doc) = st.parsed.parse(&mut req) {
        if gql::expanded_fields(doc, st.limits.max_complexity) > st.limits.max_complexity {
            let msg = gql::complexity_message(&st.limits);
            return (StatusCode::OK, Json(gql::limit_body(&msg, "BAD_INPUT", "complexity"))).into_response();
        }
    }
    let operation = req.operation_name.clone().unwrap_or_else(|| "anonymous".to_string());
    let req = req.data(access).data(gql::RequestBudget::new(&st.limits));
    let started = std::time::Instant::now();
    let timeout_body = || {
        let msg = gql::timeout_message(st.limits.timeout);
        (StatusCode::OK, Json(gql::limit_body(&msg, "TIMEOUT", "time"))).into_response()
    };
    match tokio::time::timeout(st.limits.timeout, st.schema.execute(req)).await {
        Ok(mut resp) => {
            metrics::record_graphql(&operation, started.elapsed(), resp.errors.len());
            gql::explain_limit_errors(&mut resp.errors, &st.limits);
            gql::code_uncoded_errors(&mut resp.errors);
            let timed_out = resp.errors.iter().any(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .is_some_and(|c| c == &async_graphql::Value::from("TIMEOUT"))
            });
            if timed_out {
                // Part of the answer is missing: say so once, not per field.
                return timeout_body();
            }
            GraphQLResponse::from(resp).into_response()
        }
        Err(_) => {
            metrics::record_graphql(&operation, started.elapsed(), 1);
            timeout_body()
        }
    }
}
