package bus

// NATS subjects owned by the inventory service.
const (
	SubjectStockUpdated = "inventory.stock.updated"
	SubjectStockLow     = "inventory.stock.low"
	SubjectReserve      = "inventory.reserve"
)
