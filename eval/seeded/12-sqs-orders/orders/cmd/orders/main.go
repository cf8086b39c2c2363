package main

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/brightcart/orders/internal/queue"
)

func main() {
	ctx := context.Background()
	awsCfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		log.Fatal(err)
	}

	qcfg := queue.DefaultConfig()
	if v := os.Getenv("ORDER_SHIPPED_QUEUE"); v != "" {
		qcfg.OrderShippedQueue = v
	}
	if v := os.Getenv("ORDER_CANCELLED_QUEUE"); v != "" {
		qcfg.OrderCancelledQueue = v
	}
	pub, err := queue.NewPublisher(ctx, sqs.NewFromConfig(awsCfg), qcfg)
	if err != nil {
		log.Fatal(err)
	}
	_ = pub // used by the shipment and cancellation handlers

	log.Fatal(http.ListenAndServe(":8080", nil))
}
