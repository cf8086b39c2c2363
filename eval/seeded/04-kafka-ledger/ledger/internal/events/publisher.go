package events

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/segmentio/kafka-go"
)

type Publisher struct {
	w *kafka.Writer
}

func NewPublisher(brokers ...string) *Publisher {
	return &Publisher{w: &kafka.Writer{
		Addr:         kafka.TCP(brokers...),
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
	}}
}

func (p *Publisher) EntryPosted(ctx context.Context, e EntryPosted) error {
	return p.publish(ctx, TopicEntryPosted, e.AccountID, e)
}

func (p *Publisher) AccountClosed(ctx context.Context, e AccountClosed) error {
	return p.publish(ctx, TopicAccountClosed, e.AccountID, e)
}

func (p *Publisher) publish(ctx context.Context, topic, key string, v any) error {
	value, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", topic, err)
	}
	return p.w.WriteMessages(ctx, kafka.Message{
		Topic: topic,
		Key:   []byte(key),
		Value: value,
	})
}

func (p *Publisher) Close() error { return p.w.Close() }
