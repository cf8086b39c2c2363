package com.acme.shop;

import com.acme.shop.proto.CatalogGrpc;
import com.acme.shop.proto.Catalog.ListProductsRequest;
import com.acme.shop.proto.Catalog.Product;
import com.acme.shop.proto.Catalog.ProductList;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.stream.Collectors;

public class Shop {
    private final CatalogGrpc.CatalogBlockingStub catalog;
    private final Inventory inventory = new Inventory();

    public Shop(ManagedChannel channel) {
        this.catalog = CatalogGrpc.newBlockingStub(channel);
    }

    // A stub made in the constructor, a builder for the request, getters on the response.
    public List<String> names(String category) {
        ListProductsRequest req = ListProductsRequest.newBuilder()
                .setCategory(category) // expect: writes_field sym:@#Shop.names -> flow:T|java:com.acme.shop.proto.Catalog|ListProductsRequest ;; name=setCategory
                .setPageSize(10) // expect: access=setter, name=setPageSize
                .build();
        ProductList resp = catalog.listProducts(req); // expect: consumes sym:@#Shop.names -> grpc:Catalog/ListProducts
        int n = resp.getProductsCount(); // expect: flow:B|grpc|Catalog/ListProducts ;; name=getProductsCount
        for (Product p : resp.getProductsList()) { // expect: name=getProductsList
            p.getPriceUsd(); // expect: flow:B|grpc|Catalog/ListProducts>getProductsList[] ;; name=getPriceUsd
        }
        return resp.getProductsList().stream()
                .map(p -> p.getName()) // expect: flow:B|grpc|Catalog/ListProducts>getProductsList[] ;; name=getName
                .collect(Collectors.toList());
    }

    // A typed local (`var`) and an indexed repeated getter.
    public String first() {
        var resp = catalog.listProducts(ListProductsRequest.getDefaultInstance());
        return resp.getProducts(0).getId(); // expect: name=getProducts ;; name=getId
    }

    // A declared type: reads resolve through the import.
    public long price(Product product) {
        return product.getPriceUsd(); // expect: flow:T|java:com.acme.shop.proto.Catalog|Product ;; name=getPriceUsd
    }

    // Look-alikes: a local class of the same shape, a map lookup.
    public void lookalikes(java.util.Map<String, String> labels) {
        Inventory inv = new Inventory();
        inv.getCount(); // expect: flow:T|java:com.acme.shop|Inventory
        labels.get("name"); // expect-not: name=name
        String s = "x";
        s.isEmpty(); // expect-not: reads_field
    }
}

class Inventory {
    private int count;

    public int getCount() {
        return count;
    }
}
