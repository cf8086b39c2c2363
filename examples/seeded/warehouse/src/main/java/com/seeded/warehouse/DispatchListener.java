package com.seeded.warehouse;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Marks shelves free once a shipment leaves (contract: shipping/asyncapi/shipment-events.yaml). */
@Component
public class DispatchListener {

    /** The consumer's shape of shipment.dispatched. */
    public record ShipmentDispatched(
            @JsonProperty("shipment_id") String shipmentId,
            @JsonProperty("order_id") String orderId,
            String carrier,
            @JsonProperty("weight_grams") double weightGrams, // decoy: a double holds the integer
            @JsonProperty("dispatchedAt") String dispatchedAt) { // expect: field-casing-drift (dispatched_at)
    }

    @KafkaListener(topics = "shipment.dispatched", groupId = "warehouse")
    public void onDispatched(ShipmentDispatched event) {
        System.out.println(event.shipmentId() + " " + event.dispatchedAt());
    }
}
