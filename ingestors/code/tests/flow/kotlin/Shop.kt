package com.acme.shop

import com.acme.shop.proto.CartServiceGrpcKt
import com.acme.shop.proto.GetCartRequest
import org.springframework.kafka.annotation.KafkaListener
import org.springframework.kafka.core.KafkaTemplate
import org.springframework.web.client.RestTemplate

// A coroutine stub injected through the primary constructor; builders and properties.
class Shop(private val stub: CartServiceGrpcKt.CartServiceCoroutineStub, private val rest: RestTemplate) {
    suspend fun items(user: String): List<String> {
        val req = GetCartRequest.newBuilder().setUserId(user).build() // expect: writes_field sym:@#Shop.items -> flow:T|java:com.acme.shop.proto|GetCartRequest ;; name=setUserId
        val cart = stub.getCart(req) // expect: -> grpc:CartService/GetCart
        for (item in cart.itemsList) { // expect: flow:B|grpc|CartService/GetCart ;; name=itemsList
            println(item.productId) // expect: flow:B|grpc|CartService/GetCart>itemsList[] ;; name=productId
        }
        val stock: Stock = rest.getForObject("http://stock/stock/x", Stock::class.java)!! // expect: uses_type sym:@#Shop.items -> flow:T|java:com.acme.shop|Stock ;; role=decode
        println(stock.level) // expect: flow:T|java:com.acme.shop|Stock ;; name=level
        return cart.itemsList.map { it.productId } // expect: flow:B|grpc|CartService/GetCart>itemsList[] ;; name=productId
    }
}

data class Stock(val sku: String, val level: Int)

data class OrderPlaced(val orderId: String)

// Spring Kafka in Kotlin: a typed listener parameter, a send of a data class.
class Events(private val kafka: KafkaTemplate<String, OrderPlaced>) {
    @KafkaListener(topics = ["payments.settled"]) // expect: uses_type sym:@#Events.settled -> flow:T|java:com.acme.shop|Settlement ;; role=decode
    fun settled(s: Settlement) {
        println(s.orderId) // expect: flow:T|java:com.acme.shop|Settlement ;; name=orderId
        kafka.send("orders.placed", OrderPlaced(orderId = s.orderId)) // expect: uses_type sym:@#Events.settled -> flow:T|java:com.acme.shop|OrderPlaced ;; boundary=topic|orders.placed, role=encode ;; writes_field
    }

    fun lookalike(m: Map<String, String>): String? {
        return m["orderId"] // expect-not: flow:
    }
}
