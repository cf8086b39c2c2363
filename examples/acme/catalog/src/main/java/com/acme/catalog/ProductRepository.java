package com.acme.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Repository;

@Repository
public class ProductRepository {

    private final Map<String, Product> products = new ConcurrentHashMap<>(Map.of(
            "MUG-01", new Product("MUG-01", "Acme mug", 1250),
            "TEE-02", new Product("TEE-02", "Acme t-shirt", 2400)));

    public Optional<Product> findById(String id) {
        return Optional.ofNullable(products.get(id));
    }

    public List<Product> findAll() {
        return products.values().stream()
                .sorted((a, b) -> a.id().compareTo(b.id()))
                .toList();
    }
}
