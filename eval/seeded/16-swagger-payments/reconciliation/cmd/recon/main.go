package main

import (
	"context"
	"log"
	"log/slog"
	"os"
	"os/signal"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/ferngrove/reconciliation/internal/recon"
)

type logLedger struct{}

func (logLedger) RecordCapture(_ context.Context, evt recon.PaymentCaptured) error {
	slog.Info("capture", "payment", evt.PaymentID, "order", evt.OrderID, "amount", evt.Amount, "currency", evt.Currency)
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	url := os.Getenv("AMQP_URL")
	if url == "" {
		url = "amqp://guest:guest@rabbitmq:5672/"
	}
	conn, err := amqp.Dial(url)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	c, err := recon.NewConsumer(conn, logLedger{})
	if err != nil {
		log.Fatal(err)
	}
	if err := c.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
