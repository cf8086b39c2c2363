// A plain Kafka consumer loop: the subscription names its topic through a
// constant inside `List.of`, and each record value is decoded to a type.
package com.acme.shipping;

import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;

public class Poller {
    static final String TOPIC = "orders.created";

    private final KafkaConsumer<String, String> consumer;

    void run() {
        consumer.subscribe(List.of(TOPIC)); // expect: subscribes sym:@#Poller.run -> topic:orders.created
    }
}
