mod model;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use tokio::sync::RwLock;

use crate::model::{Position, Trip};

#[derive(Default)]
struct Store {
    latest: HashMap<String, Position>,
    trips: HashMap<String, Vec<Trip>>,
}

type Shared = Arc<RwLock<Store>>;

async fn latest_position(State(store): State<Shared>, Path(id): Path<String>) -> Result<Json<Position>, StatusCode> {
    store.read().await.latest.get(&id).cloned().map(Json).ok_or(StatusCode::NOT_FOUND)
}

async fn trips(State(store): State<Shared>, Path(id): Path<String>) -> Json<Vec<Trip>> {
    Json(store.read().await.trips.get(&id).cloned().unwrap_or_default())
}

#[tokio::main]
async fn main() {
    let app = Router::new()
        .route("/v1/vehicles/:id/position", get(latest_position))
        .route("/v1/vehicles/:id/trips", get(trips))
        .with_state(Shared::default());

    let addr = std::env::var("LISTEN_ADDR").unwrap_or_else(|_| "0.0.0.0:8080".into());
    let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
