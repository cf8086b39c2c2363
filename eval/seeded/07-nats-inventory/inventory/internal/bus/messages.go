package bus

import "time"

type StockUpdated struct {
	SKU         string    `json:"sku"`
	WarehouseID string    `json:"warehouse_id"`
	OnHand      int       `json:"on_hand"`
	Reserved    int       `json:"reserved"`
	UpdatedAt   time.Time `json:"updated_at"`
}

type StockLow struct {
	SKU          string `json:"sku"`
	WarehouseID  string `json:"warehouse_id"`
	OnHand       int    `json:"on_hand"`
	ReorderPoint int    `json:"reorder_point"`
	SupplierID   string `json:"supplier_id,omitempty"`
}

type ReserveLine struct {
	SKU      string `json:"sku"`
	Quantity int    `json:"quantity"`
}

type ReserveRequest struct {
	OrderID string        `json:"order_id"`
	Lines   []ReserveLine `json:"lines"`
}

type ReserveReply struct {
	ReservationID string    `json:"reservation_id,omitempty"`
	Reserved      bool      `json:"reserved"`
	ExpiresAt     time.Time `json:"expires_at"`
	Shortages     []string  `json:"shortages,omitempty"`
}
