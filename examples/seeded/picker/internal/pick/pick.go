// Package pick decides which warehouse picks an order line.
package pick

import (
	"context"

	pb "github.com/seeded/inventory/gen/inventory/v1"
	"google.golang.org/grpc"
)

// Picker asks inventory for stock.
type Picker struct {
	client pb.InventoryServiceClient
}

// New connects a picker to the inventory service.
func New(conn *grpc.ClientConn) *Picker {
	return &Picker{client: pb.NewInventoryServiceClient(conn)}
}

// Warehouse returns the warehouse that holds a product.
func (p *Picker) Warehouse(ctx context.Context, productID string) (string, error) {
	stock, err := p.client.GetStock(ctx, &pb.GetStockRequest{ProductId: productID})
	if err != nil {
		return "", err
	}
	if stock.GetQuantity() <= 0 || stock.GetProductId() != productID {
		return "", nil
	}
	return stock.GetWarehouseId(), nil // expect: consumer-field-missing (Stock has warehouse_code)
}

// Release gives reserved stock back.
func (p *Picker) Release(ctx context.Context, productID string) error {
	// expect: unknown-rpc (InventoryService has no ReleaseStock)
	_, err := p.client.ReleaseStock(ctx, &pb.GetStockRequest{ProductId: productID})
	return err
}
