package events

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/segmentio/kafka-go"
)

type Publisher struct {
	writer *kafka.Writer
}

func NewPublisher(brokers ...string) *Publisher {
	return &Publisher{writer: &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
	}}
}

func (p *Publisher) OrderPlaced(ctx context.Context, e OrderPlaced) error {
	return p.publish(ctx, TopicOrderPlaced, e.OrderID, e)
}

func (p *Publisher) OrderCancelled(ctx context.Context, e OrderCancelled) error {
	return p.publish(ctx, TopicOrderCancelled, e.OrderID, e)
}

func (p *Publisher) publish(ctx context.Context, topic, key string, payload any) error {
	value, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("encode %s: %w", topic, err)
	}
	return p.writer.WriteMessages(ctx, kafka.Message{
		Topic:   topic,
		Key:     []byte(key),
		Value:   value,
		Headers: []kafka.Header{{Key: "content-type", Value: []byte("application/json")}},
	})
}

func (p *Publisher) Close() error {
	return p.writer.Close()
}
