mod reading;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use rdkafka::config::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};

use crate::reading::{GatewayReading, Reading, READINGS_TOPIC};

struct AppState {
    producer: FutureProducer,
}

async fn ingest(State(state): State<Arc<AppState>>, Json(batch): Json<Vec<GatewayReading>>) -> StatusCode {
    for g in batch {
        let reading = Reading::from(g);
        let payload = match serde_json::to_vec(&reading) {
            Ok(p) => p,
            Err(_) => return StatusCode::UNPROCESSABLE_ENTITY,
        };
        let record = FutureRecord::to(READINGS_TOPIC).key(&reading.sensor_id).payload(&payload);
        if let Err((err, _)) = state.producer.send(record, Duration::from_secs(5)).await {
            tracing::error!(%err, "kafka delivery failed");
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    StatusCode::ACCEPTED
}

#[tokio::main]
async fn main() {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "kafka:9092".into()))
        .set("compression.type", "zstd")
        .set("linger.ms", "20")
        .create()
        .expect("kafka producer");

    let app = Router::new()
        .route("/v1/gateway/readings", post(ingest))
        .with_state(Arc::new(AppState { producer }));

    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
