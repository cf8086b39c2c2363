package main

import (
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/nats-io/nats.go"

	"github.com/acme/inventory/internal/bus"
	"github.com/acme/inventory/internal/stock"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))

	url := os.Getenv("NATS_URL")
	if url == "" {
		url = nats.DefaultURL
	}
	nc, err := nats.Connect(url, nats.Name("inventory"), nats.MaxReconnects(-1))
	if err != nil {
		log.Error("connect", "err", err)
		os.Exit(1)
	}
	defer nc.Drain()

	store := stock.NewStore(os.Getenv("WAREHOUSE_ID"), bus.NewPublisher(nc))
	if _, err := bus.ServeReservations(nc, store, log); err != nil {
		log.Error("subscribe", "err", err)
		os.Exit(1)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	<-sig
}
