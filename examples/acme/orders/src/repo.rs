//! Order storage. Postgres in production, an in-memory store for tests.

use std::sync::Mutex;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::{types::Json, FromRow, PgPool};
use thiserror::Error;
use uuid::Uuid;

use crate::model::{LineItem, Order, OrderStatus};

#[derive(Debug, Error)]
pub enum RepoError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

#[async_trait]
pub trait OrderStore: Send + Sync {
    async fn insert(&self, order: &Order) -> Result<(), RepoError>;
    async fn get(&self, id: Uuid) -> Result<Option<Order>, RepoError>;
    async fn list(&self, limit: i64) -> Result<Vec<Order>, RepoError>;
}

#[derive(FromRow)]
struct OrderRow {
    id: Uuid,
    customer_id: String,
    status: OrderStatus,
    currency: String,
    total_cents: i64,
    items: Json<Vec<LineItem>>,
    created_at: DateTime<Utc>,
}

impl From<OrderRow> for Order {
    fn from(row: OrderRow) -> Self {
        Order {
            id: row.id,
            customer_id: row.customer_id,
            status: row.status,
            currency: row.currency,
            total_cents: row.total_cents,
            items: row.items.0,
            created_at: row.created_at,
        }
    }
}

pub struct PgOrderRepo {
    pool: PgPool,
}

impl PgOrderRepo {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl OrderStore for PgOrderRepo {
    async fn insert(&self, order: &Order) -> Result<(), RepoError> {
        sqlx::query(
            "INSERT INTO orders (id, customer_id, status, currency, total_cents, items, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(order.id)
        .bind(&order.customer_id)
        .bind(order.status)
        .bind(&order.currency)
        .bind(order.total_cents)
        .bind(Json(&order.items))
        .bind(order.created_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn get(&self, id: Uuid) -> Result<Option<Order>, RepoError> {
        let row = sqlx::query_as::<_, OrderRow>("SELECT * FROM orders WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Order::from))
    }

    async fn list(&self, limit: i64) -> Result<Vec<Order>, RepoError> {
        let rows =
            sqlx::query_as::<_, OrderRow>("SELECT * FROM orders ORDER BY created_at DESC LIMIT $1")
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(Order::from).collect())
    }
}

/// Test double; keeps orders in insertion order.
#[derive(Default)]
pub struct InMemoryOrderRepo {
    orders: Mutex<Vec<Order>>,
}

#[async_trait]
impl OrderStore for InMemoryOrderRepo {
    async fn insert(&self, order: &Order) -> Result<(), RepoError> {
        self.orders.lock().unwrap().push(order.clone());
        Ok(())
    }

    async fn get(&self, id: Uuid) -> Result<Option<Order>, RepoError> {
        Ok(self
            .orders
            .lock()
            .unwrap()
            .iter()
            .find(|o| o.id == id)
            .cloned())
    }

    async fn list(&self, limit: i64) -> Result<Vec<Order>, RepoError> {
        let orders = self.orders.lock().unwrap();
        Ok(orders.iter().rev().take(limit as usize).cloned().collect())
    }
}
