package com.acme.pricing;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

public record PriceQuote(
        String sku,
        long amountMinor,
        String currency,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long compareAtMinor,
        Instant validUntil) {
}
