package flags

import (
	"context"

	"go.opentelemetry.io/otel/attribute"

	"github.com/open-feature/go-sdk/openfeature"
)

const payKey = "paymentUnreachable"

func PaymentUnreachable(ctx context.Context, client *openfeature.Client) bool {
	v, _ := client.BooleanValue(ctx, payKey, false, openfeature.EvaluationContext{}) // flag: paymentUnreachable
	return v
}

func CatalogFailure(ctx context.Context, client *openfeature.Client) bool {
	return client.Boolean(ctx, "productCatalogFailure", false, openfeature.EvaluationContext{}) // flag: productCatalogFailure
}

func Details(ctx context.Context, client *openfeature.Client, key string) {
	client.StringValueDetails(ctx, "theme", "light", openfeature.EvaluationContext{}) // flag: theme
	client.IntValue(ctx, key, 0, openfeature.EvaluationContext{})                    // dynamic
	_ = attribute.String("user.id", key)
	_ = attribute.String("synthetic", "test")
}
