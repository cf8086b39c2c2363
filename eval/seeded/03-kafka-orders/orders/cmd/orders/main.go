package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/acme/orders/internal/events"
)

func main() {
	brokers := strings.Split(envOr("KAFKA_BROKERS", "kafka:9092"), ",")
	pub := events.NewPublisher(brokers...)
	defer pub.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	// Smoke event for local runs; the checkout flow publishes the real ones.
	err := pub.OrderPlaced(ctx, events.OrderPlaced{
		OrderID:    "ord_local_0001",
		CustomerID: "cus_local_42",
		PlacedAt:   time.Now().UTC(),
		Currency:   "EUR",
		TotalCents: 4599,
		Lines:      []events.OrderLine{{SKU: "TSHIRT-M-BLK", Quantity: 1, UnitPriceCents: 4599}},
		ShippingAddress: events.Address{
			Line1: "Hauptstr. 1", City: "Berlin", PostalCode: "10115", Country: "DE",
		},
	})
	if err != nil {
		log.Fatalf("publish: %v", err)
	}
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
