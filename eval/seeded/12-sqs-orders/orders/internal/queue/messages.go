package queue

import "time"

type ShippedItem struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

type OrderShipped struct {
	OrderID        string        `json:"order_id"`
	CustomerID     string        `json:"customer_id"`
	Carrier        string        `json:"carrier"`
	TrackingNumber string        `json:"tracking_number"`
	ShippedAt      time.Time     `json:"shipped_at"`
	Items          []ShippedItem `json:"items"`
}

type OrderCancelled struct {
	OrderID           string    `json:"order_id"`
	CustomerID        string    `json:"customer_id"`
	CancelledAt       time.Time `json:"cancelled_at"`
	Reason            string    `json:"reason"`
	RefundAmountCents int64     `json:"refund_amount_cents"`
}
