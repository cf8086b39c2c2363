//! Wire shapes of the orders service.
//!
//! HTTP bodies are camelCase (see `openapi/orders.yaml`); the `OrderCreated` event is
//! snake_case (see `asyncapi/order-events.yaml`). Both are published contracts.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
#[sqlx(type_name = "order_status", rename_all = "snake_case")]
pub enum OrderStatus {
    Pending,
    Paid,
    Shipped,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineItem {
    pub sku: String,
    pub quantity: u32,
    pub unit_price_cents: i64,
}

/// An order as returned by the HTTP API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub id: Uuid,
    pub customer_id: String,
    pub status: OrderStatus,
    pub currency: String,
    pub total_cents: i64,
    pub items: Vec<LineItem>,
    pub created_at: DateTime<Utc>,
}

/// Request body of `POST /orders`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateOrder {
    pub customer_id: String,
    pub currency: String,
    pub items: Vec<LineItem>,
}

/// Published to Kafka topic `order.created` once an order is stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderCreated {
    pub order_id: Uuid,
    pub customer_id: String,
    pub total_cents: i64,
    pub currency: String,
    pub created_at: DateTime<Utc>,
}

impl From<&Order> for OrderCreated {
    fn from(order: &Order) -> Self {
        Self {
            order_id: order.id,
            customer_id: order.customer_id.clone(),
            total_cents: order.total_cents,
            currency: order.currency.clone(),
            created_at: order.created_at,
        }
    }
}
