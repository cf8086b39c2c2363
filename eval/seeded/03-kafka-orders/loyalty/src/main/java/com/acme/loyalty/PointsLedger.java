package com.acme.loyalty;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Service;

@Service
public class PointsLedger {

    private record Entry(String customerId, long points, Instant earnedAt) {}

    private final Map<String, Entry> byOrder = new ConcurrentHashMap<>();

    public void award(String customerId, String orderId, long points, Instant earnedAt) {
        byOrder.putIfAbsent(orderId, new Entry(customerId, points, earnedAt));
    }

    public void revoke(String orderId) {
        byOrder.remove(orderId);
    }

    public long balance(String customerId) {
        return byOrder.values().stream()
                .filter(e -> e.customerId().equals(customerId))
                .mapToLong(Entry::points)
                .sum();
    }
}
