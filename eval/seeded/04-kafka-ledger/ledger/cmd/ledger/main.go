package main

import (
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/northbank/ledger/internal/events"
	"github.com/northbank/ledger/internal/posting"
)

func main() {
	brokers := strings.Split(getenv("KAFKA_BROKERS", "kafka-0:9092,kafka-1:9092"), ",")
	pub := events.NewPublisher(brokers...)
	defer pub.Close()

	svc := posting.NewService(pub)
	_ = svc // wired into the HTTP/gRPC handlers in the full service

	log.Fatal(http.ListenAndServe(getenv("LISTEN_ADDR", ":8080"), nil))
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
