package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/IBM/sarama"

	"github.com/acme/statements/internal/scores"
)

func getenv(key, def string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return def
}

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))

	cfg := sarama.NewConfig()
	cfg.Version = sarama.V3_6_0_0
	cfg.Consumer.Offsets.Initial = sarama.OffsetOldest
	cfg.Consumer.Group.Rebalance.GroupStrategies = []sarama.BalanceStrategy{sarama.NewBalanceStrategySticky()}

	brokers := strings.Split(getenv("KAFKA_BROKERS", "kafka:9092"), ",")
	topic := getenv("RISK_SCORES_TOPIC", "risk.scores.v1")

	group, err := sarama.NewConsumerGroup(brokers, "statements", cfg)
	if err != nil {
		log.Error("consumer group", "err", err)
		os.Exit(1)
	}
	defer group.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	handler := &scores.Handler{Flags: scores.NewFlags(), Threshold: 0.8, Log: log}
	for {
		if err := group.Consume(ctx, []string{topic}, handler); err != nil && !errors.Is(err, sarama.ErrClosedConsumerGroup) {
			log.Error("consume", "err", err)
		}
		if ctx.Err() != nil {
			return
		}
	}
}
