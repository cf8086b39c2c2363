package main

import (
	"context"
	"log"
	"os"
	"os/signal"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/swiftcab/dispatch/internal/bus"
	"github.com/swiftcab/dispatch/internal/planner"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	url := os.Getenv("NATS_URL")
	if url == "" {
		url = nats.DefaultURL
	}
	nc, err := nats.Connect(url, nats.Name("dispatch"))
	if err != nil {
		log.Fatal(err)
	}
	defer nc.Drain()

	js, err := jetstream.New(nc)
	if err != nil {
		log.Fatal(err)
	}
	events, err := bus.NewEvents(ctx, js)
	if err != nil {
		log.Fatal(err)
	}
	_ = events // handed to the assignment loop

	if _, err := bus.NewEtaResponder(nc, planner.NewGreedy()).Start(); err != nil {
		log.Fatal(err)
	}
	<-ctx.Done()
}
