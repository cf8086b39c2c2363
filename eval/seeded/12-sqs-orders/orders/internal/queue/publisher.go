package queue

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	"github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

type Config struct {
	OrderShippedQueue   string
	OrderCancelledQueue string
}

func DefaultConfig() Config {
	return Config{
		OrderShippedQueue:   "order-shipped",
		OrderCancelledQueue: "order-cancelled",
	}
}

type Publisher struct {
	client       *sqs.Client
	shippedURL   string
	cancelledURL string
}

func NewPublisher(ctx context.Context, client *sqs.Client, cfg Config) (*Publisher, error) {
	shipped, err := queueURL(ctx, client, cfg.OrderShippedQueue)
	if err != nil {
		return nil, err
	}
	cancelled, err := queueURL(ctx, client, cfg.OrderCancelledQueue)
	if err != nil {
		return nil, err
	}
	return &Publisher{client: client, shippedURL: shipped, cancelledURL: cancelled}, nil
}

func queueURL(ctx context.Context, client *sqs.Client, name string) (string, error) {
	out, err := client.GetQueueUrl(ctx, &sqs.GetQueueUrlInput{QueueName: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("resolve queue %s: %w", name, err)
	}
	return aws.ToString(out.QueueUrl), nil
}

func (p *Publisher) OrderShipped(ctx context.Context, evt OrderShipped) error {
	return p.send(ctx, p.shippedURL, "order.shipped", evt)
}

func (p *Publisher) OrderCancelled(ctx context.Context, evt OrderCancelled) error {
	return p.send(ctx, p.cancelledURL, "order.cancelled", evt)
}

func (p *Publisher) send(ctx context.Context, url, eventType string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = p.client.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:    aws.String(url),
		MessageBody: aws.String(string(body)),
		MessageAttributes: map[string]types.MessageAttributeValue{
			"event_type":    {DataType: aws.String("String"), StringValue: aws.String(eventType)},
			"event_version": {DataType: aws.String("Number"), StringValue: aws.String("1")},
		},
	})
	return err
}
