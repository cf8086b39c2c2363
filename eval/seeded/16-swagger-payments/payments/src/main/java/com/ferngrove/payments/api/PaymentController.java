package com.ferngrove.payments.api;

import com.ferngrove.payments.domain.Payment;
import com.ferngrove.payments.domain.PaymentService;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/payments")
public class PaymentController {

    public record CreatePaymentRequest(String orderId, long amount, String currency, String paymentMethodToken) {}

    public record RefundRequest(long amount, String reason) {}

    public record Refund(String refundId, String paymentId, long amount, String status, java.time.Instant createdAt) {}

    private final PaymentService service;

    public PaymentController(PaymentService service) {
        this.service = service;
    }

    @PostMapping
    public ResponseEntity<Payment> create(@RequestBody CreatePaymentRequest req) {
        Payment p = service.create(req.orderId(), req.amount(), req.currency(), req.paymentMethodToken());
        HttpStatus status = p.getStatus() == Payment.Status.FAILED ? HttpStatus.PAYMENT_REQUIRED : HttpStatus.CREATED;
        return ResponseEntity.status(status).body(p);
    }

    @GetMapping
    public List<Payment> list(@RequestParam String orderId) {
        return service.forOrder(orderId);
    }

    @GetMapping("/{paymentId}")
    public ResponseEntity<Payment> get(@PathVariable String paymentId) {
        return ResponseEntity.of(service.find(paymentId));
    }

    @PostMapping("/{paymentId}/refunds")
    public ResponseEntity<Refund> refund(@PathVariable String paymentId, @RequestBody RefundRequest req) {
        return service.find(paymentId)
                .map(p -> ResponseEntity.status(HttpStatus.CREATED).body(new Refund(
                        java.util.UUID.randomUUID().toString(), p.getPaymentId(), req.amount(), "PENDING", java.time.Instant.now())))
                .orElse(ResponseEntity.notFound().build());
    }
}
