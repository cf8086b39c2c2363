//! Invoicing service: serves the invoices API (contract: openapi/invoicing.yaml).
use axum::{extract::Path, routing::get, Json, Router};
use serde::Serialize;

/// The wire shape of an invoice: snake_case, as the contract says.
#[derive(Serialize)]
pub struct Invoice {
    pub invoice_id: String,
    pub customer_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub due_date: String,
    pub status: String,
    pub paid_at: Option<String>,
    pub created_at: String,
}

pub fn router() -> Router {
    Router::new()
        .route("/v1/invoices", get(list_invoices))
        .route("/v1/invoices/{id}", get(get_invoice))
}

async fn list_invoices() -> Json<Vec<Invoice>> {
    Json(Vec::new())
}

async fn get_invoice(Path(id): Path<String>) -> Json<Invoice> {
    Json(Invoice {
        invoice_id: id,
        customer_id: "c-1".into(),
        amount_cents: 1200,
        currency: "EUR".into(),
        due_date: "2026-01-31".into(),
        status: "open".into(),
        paid_at: None,
        created_at: "2026-01-01T00:00:00Z".into(),
    })
}
