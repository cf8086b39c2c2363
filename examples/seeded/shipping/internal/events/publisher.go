// Package events publishes shipment events (contract: asyncapi/shipment-events.yaml).
package events

import (
	"context"
	"encoding/json"
	"time"

	"github.com/segmentio/kafka-go"
)

// ShipmentDispatched is the wire shape of shipment.dispatched.
type ShipmentDispatched struct {
	ShipmentID   string    `json:"shipment_id"`
	OrderID      string    `json:"order_id"`
	Carrier      string    `json:"carrier"`
	DispatchedAt time.Time `json:"dispatched_at"`
	WeightGrams  int       `json:"weight_grams"`
	TrackingURL  string    `json:"tracking_url,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Publisher writes shipment events to Kafka.
type Publisher struct {
	writer *kafka.Writer
}

// Dispatched publishes one shipment.dispatched event.
func (p *Publisher) Dispatched(ctx context.Context, ev ShipmentDispatched) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return p.writer.WriteMessages(ctx, kafka.Message{Topic: "shipment.dispatched", Value: body})
}
