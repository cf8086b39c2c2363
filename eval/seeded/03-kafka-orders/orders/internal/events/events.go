// Package events holds the payloads the orders service publishes to Kafka.
// Payloads are JSON; keys are snake_case.
package events

import "time"

const (
	TopicOrderPlaced    = "orders.placed.v1"
	TopicOrderCancelled = "orders.cancelled.v1"
)

type Address struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Country    string `json:"country"`
}

type OrderLine struct {
	SKU            string `json:"sku"`
	Quantity       int    `json:"quantity"`
	UnitPriceCents int64  `json:"unit_price_cents"`
}

type OrderPlaced struct {
	OrderID         string      `json:"order_id"`
	CustomerID      string      `json:"customer_id"`
	PlacedAt        time.Time   `json:"placed_at"`
	Currency        string      `json:"currency"`
	TotalCents      int64       `json:"total_cents"`
	Lines           []OrderLine `json:"lines"`
	ShippingAddress Address     `json:"shipping_address"`
	CouponCode      string      `json:"coupon_code,omitempty"`
}

type OrderCancelled struct {
	OrderID     string    `json:"order_id"`
	CustomerID  string    `json:"customer_id"`
	Reason      string    `json:"reason"`
	CancelledAt time.Time `json:"cancelled_at"`
}
