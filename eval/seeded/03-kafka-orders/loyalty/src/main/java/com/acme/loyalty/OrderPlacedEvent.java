package com.acme.loyalty;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

@JsonIgnoreProperties(ignoreUnknown = true)
public record OrderPlacedEvent(
        @JsonProperty("order_id") String orderId,
        @JsonProperty("placed_at") long placedAt,
        @JsonProperty("currency") String currency,
        @JsonProperty("total_cents") long totalCents,
        @JsonProperty("customer_id") String customerId) {
}
