package com.ferngrove.payments.domain;

import com.ferngrove.payments.events.PaymentEventPublisher;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Service;

@Service
public class PaymentService {

    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final CardProcessor processor;
    private final PaymentEventPublisher events;

    public PaymentService(CardProcessor processor, PaymentEventPublisher events) {
        this.processor = processor;
        this.events = events;
    }

    public Payment create(String orderId, long amount, String currency, String token) {
        Payment p = new Payment();
        p.setPaymentId(UUID.randomUUID().toString());
        p.setOrderId(orderId);
        p.setAmount(amount);
        p.setCurrency(currency);
        String declineReason = processor.authoriseAndCapture(token, amount, currency);
        if (declineReason == null) {
            p.setStatus(Payment.Status.CAPTURED);
            p.setCapturedAt(Instant.now());
            events.captured(p);
        } else {
            p.setStatus(Payment.Status.FAILED);
            p.setFailureReason(declineReason);
        }
        payments.put(p.getPaymentId(), p);
        return p;
    }

    public Optional<Payment> find(String paymentId) {
        return Optional.ofNullable(payments.get(paymentId));
    }

    public List<Payment> forOrder(String orderId) {
        return payments.values().stream()
                .filter(p -> p.getOrderId().equals(orderId))
                .sorted(Comparator.comparing(Payment::getCapturedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    public interface CardProcessor {
        /** Returns null on success, otherwise the decline reason. */
        String authoriseAndCapture(String token, long amount, String currency);
    }
}
