package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tallyho/warehouse-sync/internal/inventory"
	"github.com/tallyho/warehouse-sync/internal/square"
)

func main() {
	invURL := os.Getenv("INVENTORY_URL")
	if invURL == "" {
		invURL = "http://inventory.internal"
	}
	inv := inventory.NewClient(invURL)
	sq := square.NewClient(os.Getenv("SQUARE_ACCESS_TOKEN"))
	warehouse := os.Getenv("WAREHOUSE_ID")
	location := os.Getenv("SQUARE_LOCATION_ID")

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	items, err := inv.Warehouse(ctx, warehouse)
	if err != nil {
		log.Fatalf("load inventory: %v", err)
	}
	counts := make(map[string]int, len(items))
	for _, it := range items {
		counts[it.SKU] = it.OnHand - it.Reserved
	}
	key := fmt.Sprintf("%s-%d", warehouse, time.Now().Unix())
	if err := sq.SetOnHand(ctx, key, location, counts); err != nil {
		log.Fatalf("push to square: %v", err)
	}
	log.Printf("synced %d skus from %s", len(counts), warehouse)
}
