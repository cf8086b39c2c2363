use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub const READINGS_TOPIC: &str = "telemetry.readings.v1";

/// What the LoRa gateways POST to us (their firmware speaks snake_case).
#[derive(Debug, Deserialize)]
pub struct GatewayReading {
    pub dev_eui: String,
    pub site: String,
    pub metric: String,
    pub value: f64,
    pub unit: String,
    pub ts: DateTime<Utc>,
    pub battery_pct: Option<u8>,
}

/// What we publish on telemetry.readings.v1.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reading {
    pub sensor_id: String,
    pub site_id: String,
    pub metric: String,
    pub value: f64,
    pub unit: String,
    pub recorded_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub battery_pct: Option<u8>,
}

impl From<GatewayReading> for Reading {
    fn from(g: GatewayReading) -> Self {
        Reading {
            sensor_id: g.dev_eui.to_lowercase(),
            site_id: g.site,
            metric: g.metric,
            value: g.value,
            unit: g.unit,
            recorded_at: g.ts,
            battery_pct: g.battery_pct,
        }
    }
}
