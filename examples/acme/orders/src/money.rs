//! Money arithmetic for orders.
//!
//! ADR-0002 (platform/docs/adr/0002-store-money-as-integer-cents.md): amounts are integer
//! minor units (`total_cents: i64`) end to end. Floats for money are forbidden.

use thiserror::Error;

use crate::model::LineItem;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum MoneyError {
    #[error("amount overflow while totalling order")]
    Overflow,
    #[error("negative unit price for sku {0}")]
    NegativePrice(String),
}

/// Total of one line, in cents.
pub fn line_total_cents(item: &LineItem) -> Result<i64, MoneyError> {
    if item.unit_price_cents < 0 {
        return Err(MoneyError::NegativePrice(item.sku.clone()));
    }
    item.unit_price_cents
        .checked_mul(i64::from(item.quantity))
        .ok_or(MoneyError::Overflow)
}

/// Total of an order, in cents.
pub fn order_total_cents(items: &[LineItem]) -> Result<i64, MoneyError> {
    items.iter().try_fold(0i64, |acc, item| {
        acc.checked_add(line_total_cents(item)?)
            .ok_or(MoneyError::Overflow)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(price: i64, qty: u32) -> LineItem {
        LineItem {
            sku: "SKU-1".into(),
            quantity: qty,
            unit_price_cents: price,
        }
    }

    #[test]
    fn totals_lines_in_cents() {
        assert_eq!(order_total_cents(&[item(1999, 2), item(1, 1)]), Ok(3999));
    }

    #[test]
    fn rejects_negative_prices() {
        assert!(matches!(
            line_total_cents(&item(-5, 1)),
            Err(MoneyError::NegativePrice(_))
        ));
    }
}
