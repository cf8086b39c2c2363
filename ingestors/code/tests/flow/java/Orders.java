package com.acme.orders;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.bind.annotation.*;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.WebClient;

@RestController
@RequestMapping("/orders")
public class Orders {
    private final KafkaTemplate<String, OrderPlaced> kafka;
    private final RestTemplate rest;
    private final WebClient web;
    private final ObjectMapper mapper = new ObjectMapper();

    public Orders(KafkaTemplate<String, OrderPlaced> kafka, RestTemplate rest, WebClient web) {
        this.kafka = kafka;
        this.rest = rest;
        this.web = web;
    }

    // A Spring handler: the request body is typed, the answer is bound to the route.
    @PostMapping // expect: uses_type sym:@#Orders.place -> flow:T|java:com.acme.orders|OrderView ;; role=encode
    public ResponseEntity<OrderView> place(@RequestBody NewOrder body) {
        String sku = body.getSku(); // expect: flow:T|java:com.acme.orders|NewOrder ;; name=getSku
        OrderPlaced evt = new OrderPlaced();
        evt.setSku(sku); // expect: writes_field sym:@#Orders.place -> flow:T|java:com.acme.orders|OrderPlaced ;; name=setSku
        kafka.send("orders.placed", evt); // expect: uses_type sym:@#Orders.place -> flow:T|java:com.acme.orders|OrderPlaced ;; boundary=topic|orders.placed, role=encode
        Stock stock = rest.getForObject("http://stock/stock/{sku}", Stock.class, sku); // expect: uses_type sym:@#Orders.place -> flow:T|java:com.acme.orders|Stock ;; role=decode
        stock.getLevel(); // expect: flow:T|java:com.acme.orders|Stock ;; name=getLevel
        Price price = web.get().uri("http://pricing/prices/{sku}", sku).retrieve().bodyToMono(Price.class).block(); // expect: flow:T|java:com.acme.orders|Price ;; role=decode
        price.getAmount(); // expect: name=getAmount
        return ResponseEntity.ok(new OrderView());
    }

    // A listener method: its parameter is the message.
    @KafkaListener(topics = "payments.settled") // expect: uses_type sym:@#Orders.settled -> flow:T|java:com.acme.orders|Settlement ;; role=decode
    public void settled(Settlement s) {
        s.getOrderId(); // expect: flow:T|java:com.acme.orders|Settlement ;; name=getOrderId
    }

    // A raw record decoded by hand.
    @KafkaListener(topics = "stock.changed")
    public void stockChanged(ConsumerRecord<String, String> record) throws Exception {
        StockChanged c = mapper.readValue(record.value(), StockChanged.class); // expect: uses_type sym:@#Orders.stockChanged -> flow:T|java:com.acme.orders|StockChanged ;; boundary=topic|stock.changed, role=decode
        c.getSku(); // expect: name=getSku
    }
}
