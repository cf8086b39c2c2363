//! Publishing of order events to Kafka. Contract: `asyncapi/order-events.yaml`.

use std::time::Duration;

use async_trait::async_trait;
use rdkafka::{
    config::ClientConfig,
    error::KafkaError,
    producer::{FutureProducer, FutureRecord},
};
use thiserror::Error;

use crate::model::OrderCreated;

/// Topic every new order is announced on. Consumed by billing.
pub const ORDER_CREATED_TOPIC: &str = "order.created";

#[derive(Debug, Error)]
pub enum PublishError {
    #[error("could not encode event: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
}

#[async_trait]
pub trait EventSink: Send + Sync {
    async fn order_created(&self, event: &OrderCreated) -> Result<(), PublishError>;
}

pub struct KafkaPublisher {
    producer: FutureProducer,
}

impl KafkaPublisher {
    pub fn new(brokers: &str) -> Result<Self, KafkaError> {
        let producer = ClientConfig::new()
            .set("bootstrap.servers", brokers)
            .set("enable.idempotence", "true")
            .set("message.timeout.ms", "5000")
            .create()?;
        Ok(Self { producer })
    }
}

#[async_trait]
impl EventSink for KafkaPublisher {
    async fn order_created(&self, event: &OrderCreated) -> Result<(), PublishError> {
        let payload = serde_json::to_vec(event)?;
        let key = event.order_id.to_string();
        let record = FutureRecord::to(ORDER_CREATED_TOPIC)
            .key(&key)
            .payload(&payload);
        self.producer
            .send(record, Duration::from_secs(5))
            .await
            .map_err(|(err, _msg)| PublishError::Kafka(err))?;
        tracing::debug!(order_id = %event.order_id, topic = ORDER_CREATED_TOPIC, "published");
        Ok(())
    }
}
