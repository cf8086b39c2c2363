package recon

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

const (
	exchange   = "payments"
	queueName  = "recon.payment-captured"
	bindingKey = "payment.captured"
)

type PaymentCaptured struct {
	PaymentID  string    `json:"paymentId"`
	OrderID    string    `json:"orderId"`
	Amount     string    `json:"amount"`
	Currency   string    `json:"currency"`
	CapturedAt time.Time `json:"capturedAt"`
}

type Ledger interface {
	RecordCapture(ctx context.Context, evt PaymentCaptured) error
}

type Consumer struct {
	ch     *amqp.Channel
	ledger Ledger
}

func NewConsumer(conn *amqp.Connection, ledger Ledger) (*Consumer, error) {
	ch, err := conn.Channel()
	if err != nil {
		return nil, err
	}
	if err := ch.ExchangeDeclare(exchange, "topic", true, false, false, false, nil); err != nil {
		return nil, err
	}
	q, err := ch.QueueDeclare(queueName, true, false, false, false, amqp.Table{"x-queue-type": "quorum"})
	if err != nil {
		return nil, err
	}
	if err := ch.QueueBind(q.Name, bindingKey, exchange, false, nil); err != nil {
		return nil, err
	}
	return &Consumer{ch: ch, ledger: ledger}, nil
}

func (c *Consumer) Run(ctx context.Context) error {
	deliveries, err := c.ch.ConsumeWithContext(ctx, queueName, "reconciliation", false, false, false, false, nil)
	if err != nil {
		return err
	}
	for d := range deliveries {
		typeID, _ := d.Headers["__TypeId__"].(string)
		var evt PaymentCaptured
		if err := json.Unmarshal(d.Body, &evt); err != nil {
			slog.Error("undecodable capture", "type", typeID, "err", err)
			_ = d.Nack(false, false)
			continue
		}
		if err := c.ledger.RecordCapture(ctx, evt); err != nil {
			_ = d.Nack(false, true)
			continue
		}
		_ = d.Ack(false)
	}
	return ctx.Err()
}
