package com.acme.pricing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Service;

@Service
public class PriceBook {

    private record Entry(long amountMinor, Long compareAtMinor) {}

    private static final Duration VALIDITY = Duration.ofMinutes(15);

    private final Map<String, Map<String, Entry>> bySkuAndCurrency = Map.of(
            "MUG-CLASSIC-WHT", Map.of("EUR", new Entry(1299, null), "GBP", new Entry(1099, null)),
            "TEE-LOGO-BLK-M", Map.of("EUR", new Entry(1999, 2499L), "GBP", new Entry(1799, 2199L)));

    public Optional<PriceQuote> find(String sku, String currency) {
        return Optional.ofNullable(bySkuAndCurrency.get(sku))
                .map(prices -> prices.get(currency))
                .map(e -> new PriceQuote(sku, e.amountMinor(), currency, e.compareAtMinor(), Instant.now().plus(VALIDITY)));
    }
}
