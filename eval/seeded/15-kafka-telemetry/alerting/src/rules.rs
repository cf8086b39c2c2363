use std::collections::HashMap;

use tracing::warn;

use crate::events::{DeviceHeartbeat, TelemetryReading};

const MAX_COLD_CHAIN_C: f64 = 8.0;
const MAX_HUMIDITY_PCT: f64 = 85.0;
const LOW_BATTERY_MV: u32 = 3_300;

#[derive(Default)]
pub struct Rules {
    last_seq: HashMap<String, u64>,
}

impl Rules {
    pub fn check_reading(&mut self, r: &TelemetryReading) {
        let last = self.last_seq.entry(r.device_id.clone()).or_insert(0);
        if r.seq <= *last {
            return; // replay after a gateway retry
        }
        *last = r.seq;

        if r.temperature_c > MAX_COLD_CHAIN_C {
            warn!(device = %r.device_id, at = %r.recorded_at, temp = r.temperature_c, "cold chain breach");
        }
        if r.humidity_pct > MAX_HUMIDITY_PCT {
            warn!(device = %r.device_id, humidity = r.humidity_pct, "humidity too high");
        }
        if r.battery_mv < LOW_BATTERY_MV {
            warn!(device = %r.device_id, battery = r.battery_mv, fw = %r.firmware, "battery low");
        }
    }

    pub fn check_heartbeat(&mut self, hb: &DeviceHeartbeat) {
        if hb.uptime_s < 60 {
            warn!(device = %hb.device_id, "device rebooted");
        }
    }
}
