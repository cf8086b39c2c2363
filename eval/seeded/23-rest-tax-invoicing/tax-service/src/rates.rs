use std::collections::HashMap;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct TaxRate {
    pub region: String,
    pub rate_bps: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduced_rate_bps: Option<u32>,
    pub effective_from: String,
    pub inclusive: bool,
}

pub struct RateTable {
    by_region: HashMap<String, TaxRate>,
}

impl RateTable {
    pub fn builtin() -> Self {
        let rows = [
            ("DE", 1900, Some(700), "2021-01-01"),
            ("FR", 2000, Some(550), "2014-01-01"),
            ("GB", 2000, Some(500), "2011-01-04"),
            ("US-OR", 0, None, "1990-01-01"),
            ("US-WA", 650, None, "2023-01-01"),
        ];
        let by_region = rows
            .into_iter()
            .map(|(region, rate, reduced, from)| {
                let rate = TaxRate {
                    region: region.to_string(),
                    rate_bps: rate,
                    reduced_rate_bps: reduced,
                    effective_from: from.to_string(),
                    inclusive: !region.starts_with("US"),
                };
                (region.to_string(), rate)
            })
            .collect();
        Self { by_region }
    }

    pub fn get(&self, region: &str) -> Option<&TaxRate> {
        self.by_region.get(&region.to_ascii_uppercase())
    }

    pub fn regions(&self) -> Vec<String> {
        let mut regions: Vec<String> = self.by_region.keys().cloned().collect();
        regions.sort();
        regions
    }
}
