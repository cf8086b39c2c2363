use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TelemetryReading {
    pub device_id: String,
    pub recorded_at: String,
    pub temperature_c: f64,
    pub battery_mv: u32,
    pub seq: u64,
    pub firmware: String,
    pub humidity_pct: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeviceHeartbeat {
    pub device_id: String,
    pub uptime_s: u64,
}
