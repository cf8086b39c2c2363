package com.ferngrove.payments.events;

import com.ferngrove.payments.domain.Payment;
import java.time.Instant;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

@Component
public class PaymentEventPublisher {

    public static final String EXCHANGE = "payments";
    public static final String CAPTURED = "payment.captured";

    public record PaymentCapturedEvent(String paymentId, String orderId, long amount, String currency, Instant capturedAt) {}

    private final RabbitTemplate rabbit;

    public PaymentEventPublisher(RabbitTemplate rabbit) {
        this.rabbit = rabbit;
    }

    public void captured(Payment p) {
        rabbit.convertAndSend(EXCHANGE, CAPTURED,
                new PaymentCapturedEvent(p.getPaymentId(), p.getOrderId(), p.getAmount(), p.getCurrency(), p.getCapturedAt()));
    }
}
