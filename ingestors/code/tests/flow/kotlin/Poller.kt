// A Kotlin Kafka consumer subscribing through `listOf` with a literal topic.
package com.acme.shipping

import org.apache.kafka.clients.consumer.KafkaConsumer

class Poller(private val consumer: KafkaConsumer<String, String>) {
    fun run() {
        consumer.subscribe(listOf("orders.created")) // expect: subscribes sym:@#Poller.run -> topic:orders.created
    }
}
