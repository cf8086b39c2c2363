mod rates;

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};

use crate::rates::{RateTable, TaxRate};

async fn get_rate(
    State(table): State<Arc<RateTable>>,
    Path(region): Path<String>,
) -> Result<Json<TaxRate>, StatusCode> {
    table.get(&region).cloned().map(Json).ok_or(StatusCode::NOT_FOUND)
}

async fn list_regions(State(table): State<Arc<RateTable>>) -> Json<Vec<String>> {
    Json(table.regions())
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt::init();

    let app = Router::new()
        .route("/v1/tax/rates/:region", get(get_rate))
        .route("/v1/tax/regions", get(list_regions))
        .with_state(Arc::new(RateTable::builtin()));

    let addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "0.0.0.0:8080".to_string());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    tracing::info!(%addr, "tax-service listening");
    axum::serve(listener, app).await.expect("serve");
}
