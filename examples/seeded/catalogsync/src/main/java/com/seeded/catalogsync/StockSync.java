package com.seeded.catalogsync;

import io.grpc.ManagedChannel;
import seeded.inventory.v1.InventoryServiceGrpc;
import seeded.inventory.v1.GetStockRequest;
import seeded.inventory.v1.Stock;

/** Copies stock levels into the catalog. Every read here matches the proto (true negatives). */
public class StockSync {
    private final InventoryServiceGrpc.InventoryServiceBlockingStub stub;

    public StockSync(ManagedChannel channel) {
        this.stub = InventoryServiceGrpc.newBlockingStub(channel);
    }

    public String describe(String productId) {
        Stock stock = stub.getStock(GetStockRequest.newBuilder().setProductId(productId).build());
        // decoy: generated Java getters for product_id, quantity and warehouse_code
        return stock.getProductId() + "@" + stock.getWarehouseCode() + "=" + stock.getQuantity();
    }
}
