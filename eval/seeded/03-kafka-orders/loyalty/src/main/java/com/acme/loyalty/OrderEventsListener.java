package com.acme.loyalty;

import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

@Component
public class OrderEventsListener {

    private static final Logger log = LoggerFactory.getLogger(OrderEventsListener.class);
    private static final long CENTS_PER_POINT = 100;

    private final ObjectMapper mapper;
    private final PointsLedger ledger;

    public OrderEventsListener(ObjectMapper mapper, PointsLedger ledger) {
        this.mapper = mapper;
        this.ledger = ledger;
    }

    @KafkaListener(topics = "${app.topics.order-placed}")
    public void onOrderPlaced(String payload) throws JsonProcessingException {
        OrderPlacedEvent event = mapper.readValue(payload, OrderPlacedEvent.class);
        long points = event.totalCents() / CENTS_PER_POINT;
        ledger.award(event.customerId(), event.orderId(), points, Instant.ofEpochMilli(event.placedAt()));
        log.info("awarded {} points to {} for {}", points, event.customerId(), event.orderId());
    }

    @KafkaListener(topics = "${app.topics.order-cancelled}")
    public void onOrderCancelled(String payload) throws JsonProcessingException {
        OrderCancelledEvent event = mapper.readValue(payload, OrderCancelledEvent.class);
        ledger.revoke(event.orderId());
        log.info("revoked points for {} ({})", event.orderId(), event.reason());
    }
}
