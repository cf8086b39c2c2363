use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use orders_api::{
    api::{create_order, get_order, list_orders, AppState, ListParams},
    events::{EventSink, PublishError},
    model::{CreateOrder, LineItem, OrderCreated, OrderStatus},
    repo::InMemoryOrderRepo,
};

#[derive(Default)]
struct RecordingSink {
    events: Mutex<Vec<OrderCreated>>,
}

#[async_trait]
impl EventSink for RecordingSink {
    async fn order_created(&self, event: &OrderCreated) -> Result<(), PublishError> {
        self.events.lock().unwrap().push(event.clone());
        Ok(())
    }
}

fn state() -> (AppState, Arc<RecordingSink>) {
    let sink = Arc::new(RecordingSink::default());
    let state = AppState {
        store: Arc::new(InMemoryOrderRepo::default()),
        events: sink.clone(),
    };
    (state, sink)
}

fn new_order() -> CreateOrder {
    CreateOrder {
        customer_id: "cus_42".into(),
        currency: "EUR".into(),
        items: vec![LineItem {
            sku: "MUG-01".into(),
            quantity: 2,
            unit_price_cents: 1250,
        }],
    }
}

#[tokio::test]
async fn create_order_stores_and_publishes() {
    let (state, sink) = state();

    let (status, Json(order)) = create_order(State(state.clone()), Json(new_order()))
        .await
        .expect("created");

    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(order.total_cents, 2500);
    assert_eq!(order.status, OrderStatus::Pending);
    let events = sink.events.lock().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].order_id, order.id);
}

#[tokio::test]
async fn order_created_event_is_snake_case() {
    let (state, sink) = state();
    create_order(State(state), Json(new_order()))
        .await
        .expect("created");

    let event = sink.events.lock().unwrap()[0].clone();
    let json = serde_json::to_value(&event).unwrap();
    assert!(json.get("created_at").is_some());
    assert!(json.get("total_cents").is_some());
}

#[tokio::test]
async fn http_order_is_camel_case() {
    let (state, _sink) = state();
    let (_, Json(order)) = create_order(State(state), Json(new_order())).await.unwrap();

    let json = serde_json::to_value(&order).unwrap();
    assert!(json.get("createdAt").is_some());
    assert!(json.get("totalCents").is_some());
}

#[tokio::test]
async fn get_order_returns_404_for_unknown_id() {
    let (state, _sink) = state();
    let result = get_order(State(state), Path(uuid::Uuid::new_v4())).await;
    assert!(result.is_err());
}

#[tokio::test]
async fn list_orders_is_newest_first() {
    let (state, _sink) = state();
    let (_, Json(first)) = create_order(State(state.clone()), Json(new_order()))
        .await
        .unwrap();
    let (_, Json(second)) = create_order(State(state.clone()), Json(new_order()))
        .await
        .unwrap();

    let Json(orders) = list_orders(State(state), Query(ListParams { limit: None }))
        .await
        .unwrap();
    assert_eq!(
        orders.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![second.id, first.id]
    );
}
