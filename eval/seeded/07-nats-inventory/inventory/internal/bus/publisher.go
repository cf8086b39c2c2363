package bus

import (
	"encoding/json"
	"time"

	"github.com/nats-io/nats.go"
)

type Publisher struct {
	nc *nats.Conn
}

func NewPublisher(nc *nats.Conn) *Publisher {
	return &Publisher{nc: nc}
}

func (p *Publisher) StockChanged(sku, warehouse string, onHand, reserved, reorderPoint int, supplier string) error {
	if err := p.publish(SubjectStockUpdated, StockUpdated{
		SKU:         sku,
		WarehouseID: warehouse,
		OnHand:      onHand,
		Reserved:    reserved,
		UpdatedAt:   time.Now().UTC(),
	}); err != nil {
		return err
	}
	if onHand-reserved > reorderPoint {
		return nil
	}
	return p.publish(SubjectStockLow, StockLow{
		SKU:          sku,
		WarehouseID:  warehouse,
		OnHand:       onHand,
		ReorderPoint: reorderPoint,
		SupplierID:   supplier,
	})
}

func (p *Publisher) publish(subject string, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return p.nc.Publish(subject, data)
}
