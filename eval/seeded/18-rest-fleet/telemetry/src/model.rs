use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    pub vehicle_id: String,
    pub lat: f64,
    pub lon: f64,
    pub speed_kph: f32,
    /// Degrees from north; None while the vehicle is stationary.
    pub heading: Option<f32>,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trip {
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub distance_km: f64,
}
