//! HTTP API of the orders service. Contract: `openapi/orders.yaml`.

use std::sync::Arc;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{
    events::{EventSink, PublishError},
    model::{CreateOrder, Order, OrderCreated, OrderStatus},
    money::{self, MoneyError},
    repo::{OrderStore, RepoError},
};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn OrderStore>,
    pub events: Arc<dyn EventSink>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/orders", get(list_orders).post(create_order))
        .route("/orders/{id}", get(get_order))
        .with_state(state)
}

#[derive(Debug, Deserialize)]
pub struct ListParams {
    pub limit: Option<i64>,
}

/// `POST /orders`: store the order, then announce it on `order.created`.
pub async fn create_order(
    State(state): State<AppState>,
    Json(body): Json<CreateOrder>,
) -> Result<(StatusCode, Json<Order>), ApiError> {
    if body.items.is_empty() {
        return Err(ApiError::Invalid("an order needs at least one item".into()));
    }
    let total_cents = money::order_total_cents(&body.items)?;
    let order = Order {
        id: Uuid::new_v4(),
        customer_id: body.customer_id,
        status: OrderStatus::Pending,
        currency: body.currency,
        total_cents,
        items: body.items,
        created_at: Utc::now(),
    };
    state.store.insert(&order).await?;
    state
        .events
        .order_created(&OrderCreated::from(&order))
        .await?;
    Ok((StatusCode::CREATED, Json(order)))
}

/// `GET /orders/{id}`
pub async fn get_order(
    State(state): State<AppState>,
    Path(id): Path<Uuid>,
) -> Result<Json<Order>, ApiError> {
    state
        .store
        .get(id)
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound(id))
}

/// `GET /orders`: newest first.
pub async fn list_orders(
    State(state): State<AppState>,
    Query(params): Query<ListParams>,
) -> Result<Json<Vec<Order>>, ApiError> {
    let limit = params.limit.unwrap_or(50).clamp(1, 200);
    Ok(Json(state.store.list(limit).await?))
}

/// Body of every error response (`Error` in the OpenAPI spec).
#[derive(Debug, Serialize)]
pub struct ErrorBody {
    pub code: &'static str,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("order {0} not found")]
    NotFound(Uuid),
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Publish(#[from] PublishError),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = match &self {
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Invalid(_) | ApiError::Money(_) => (StatusCode::BAD_REQUEST, "invalid"),
            ApiError::Repo(_) | ApiError::Publish(_) => {
                tracing::error!(error = %self, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal")
            }
        };
        let body = ErrorBody {
            code,
            message: self.to_string(),
        };
        (status, Json(body)).into_response()
    }
}
