package com.acme.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A product on sale. REST responses use snake_case ({@code product_id}, {@code price_cents});
 * the storefront GraphQL type uses {@code id} and {@code priceCents}. Prices are integer cents
 * (ADR-0002).
 */
public record Product(
        @JsonProperty("product_id") String id,
        @JsonProperty("name") String name,
        @JsonProperty("price_cents") int priceCents) {

    public Product {
        if (priceCents < 0) {
            throw new IllegalArgumentException("priceCents must not be negative");
        }
    }
}
