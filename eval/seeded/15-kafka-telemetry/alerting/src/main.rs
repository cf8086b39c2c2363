mod events;
mod rules;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::Message;
use tracing::{error, info};

use crate::events::{DeviceHeartbeat, TelemetryReading};

const READINGS_TOPIC: &str = "telemetry.readings.v1";
const HEARTBEAT_TOPIC: &str = "device.heartbeat.v1";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt::init();

    let brokers = std::env::var("KAFKA_BROKERS").unwrap_or_else(|_| "kafka:9092".to_string());
    let consumer: StreamConsumer = ClientConfig::new()
        .set("bootstrap.servers", &brokers)
        .set("group.id", "alerting")
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "latest")
        .create()?;
    consumer.subscribe(&[READINGS_TOPIC, HEARTBEAT_TOPIC])?;
    info!(%brokers, "alerting consumer started");

    let mut rules = rules::Rules::default();
    loop {
        let msg = consumer.recv().await?;
        if let Some(payload) = msg.payload() {
            let outcome = match msg.topic() {
                READINGS_TOPIC => serde_json::from_slice::<TelemetryReading>(payload).map(|r| rules.check_reading(&r)),
                HEARTBEAT_TOPIC => serde_json::from_slice::<DeviceHeartbeat>(payload).map(|hb| rules.check_heartbeat(&hb)),
                _ => Ok(()),
            };
            if let Err(err) = outcome {
                error!(topic = msg.topic(), offset = msg.offset(), %err, "undecodable message");
            }
        }
        consumer.commit_message(&msg, CommitMode::Async)?;
    }
}
