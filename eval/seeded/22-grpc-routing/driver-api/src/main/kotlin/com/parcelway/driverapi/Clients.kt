package com.parcelway.driverapi

import com.parcelway.routing.v1.RouteOptimizerGrpcKt.RouteOptimizerCoroutineStub
import io.grpc.ManagedChannel
import io.grpc.ManagedChannelBuilder
import java.time.Instant
import org.springframework.beans.factory.annotation.Value
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.stereotype.Component
import org.springframework.web.client.RestClient
import org.springframework.web.client.body

@Configuration
class ClientsConfig {
    @Bean(destroyMethod = "shutdown")
    fun routingChannel(@Value("\${routing.target}") target: String): ManagedChannel =
        ManagedChannelBuilder.forTarget(target).usePlaintext().build()

    @Bean
    fun routeOptimizer(channel: ManagedChannel): RouteOptimizerCoroutineStub = RouteOptimizerCoroutineStub(channel)
}

data class TrackingStatus(
    val routeId: String,
    val status: String,
    val completedStops: Int,
    val totalStops: Int,
    val lastPingAt: Instant,
)

@Component
class TrackingClient(@Value("\${tracking.base-url}") baseUrl: String) {
    private val http = RestClient.builder().baseUrl(baseUrl).build()

    fun status(routeId: String): TrackingStatus =
        http.get().uri("/tracking/{routeId}", routeId).retrieve().body<TrackingStatus>()!!
}
