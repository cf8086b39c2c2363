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

const TopicOrderPlaced = "orders.placed.v1"

type KafkaPublisher struct {
	writer *kafka.Writer
}

func (p *KafkaPublisher) OrderPlaced(ctx context.Context, id string) error {
	return p.publish(ctx, TopicOrderPlaced, id, id) // expect: publishes sym:@#KafkaPublisher.OrderPlaced -> topic:orders.placed.v1
}

// The topic arrives grouped with the key (`topic, key string`).
func (p *KafkaPublisher) publish(ctx context.Context, topic, key string, payload any) error {
	return p.writer.WriteMessages(ctx, kafka.Message{Topic: topic, Key: []byte(key)}) // expect: publishes sym:@#KafkaPublisher.publish -> topic-expr:{topic}
}
