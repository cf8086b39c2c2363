package bus

import (
	"encoding/json"

	"github.com/nats-io/nats.go"
)

const SubjectStockLow = "inventory.stock.low"

type Publisher struct {
	nc *nats.Conn
}

// The subject is a parameter: what callers pass is published.
func (p *Publisher) publish(subject string, v any) error {
	data, _ := json.Marshal(v)
	return p.nc.Publish(subject, data) // expect-not: publishes
}

func (p *Publisher) StockLow(sku string) error {
	return p.publish(SubjectStockLow, sku) // expect: publishes sym:@#Publisher.StockLow -> topic:inventory.stock.low
}

func (p *Publisher) Updated(sku string) error {
	return p.publish("inventory.stock.updated", sku) // expect: publishes sym:@#Publisher.Updated -> topic:inventory.stock.updated
}
