package com.acme.risk;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

@Component
public class VelocityChecker {

    private final long windowMillis;
    private final int maxDebits;
    private final Map<String, Deque<Long>> debits = new ConcurrentHashMap<>();

    public VelocityChecker(@Value("${risk.velocity.window-minutes}") long windowMinutes,
                           @Value("${risk.velocity.max-debits}") int maxDebits) {
        this.windowMillis = windowMinutes * 60_000L;
        this.maxDebits = maxDebits;
    }

    /** Returns true when the account has more debits in the window than allowed. */
    public synchronized boolean record(String accountId, long atMillis, long amountMinor) {
        Deque<Long> times = debits.computeIfAbsent(accountId, k -> new ArrayDeque<>());
        times.addLast(atMillis);
        while (!times.isEmpty() && times.peekFirst() < atMillis - windowMillis) {
            times.removeFirst();
        }
        return times.size() > maxDebits;
    }
}
