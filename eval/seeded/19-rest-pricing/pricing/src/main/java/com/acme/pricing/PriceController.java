package com.acme.pricing;

import java.util.List;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/prices")
public class PriceController {

    public record BatchPriceRequest(List<String> skus, String currency) {}

    private final PriceBook priceBook;

    public PriceController(PriceBook priceBook) {
        this.priceBook = priceBook;
    }

    @GetMapping("/{sku}")
    public ResponseEntity<PriceQuote> price(@PathVariable String sku,
                                            @RequestParam(defaultValue = "EUR") String currency) {
        return priceBook.find(sku, currency)
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @PostMapping("/batch")
    public ResponseEntity<List<PriceQuote>> batch(@RequestBody BatchPriceRequest request) {
        List<PriceQuote> quotes = request.skus().stream()
                .flatMap(sku -> priceBook.find(sku, request.currency()).stream())
                .toList();
        return ResponseEntity.ok(quotes);
    }
}
