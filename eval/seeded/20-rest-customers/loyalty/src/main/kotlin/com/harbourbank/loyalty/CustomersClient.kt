package com.harbourbank.loyalty

import com.fasterxml.jackson.annotation.JsonIgnoreProperties
import com.fasterxml.jackson.annotation.JsonProperty
import org.springframework.beans.factory.annotation.Value
import org.springframework.stereotype.Component
import org.springframework.web.reactive.function.client.WebClient
import org.springframework.web.reactive.function.client.WebClientResponseException
import org.springframework.web.reactive.function.client.bodyToMono
import reactor.core.publisher.Mono

@JsonIgnoreProperties(ignoreUnknown = true)
data class CustomerSummary(
    val id: String,
    val email: String,
    val displayName: String,
    @JsonProperty("loyalty_tier") val loyaltyTier: String?,
)

@Component
class CustomersClient(
    builder: WebClient.Builder,
    @Value("\${customers.base-url}") baseUrl: String,
) {
    private val web = builder.baseUrl(baseUrl).build()

    fun find(id: String): CustomerSummary? =
        web.get()
            .uri("/api/customers/{id}", id)
            .retrieve()
            .bodyToMono<CustomerSummary>()
            .onErrorResume(WebClientResponseException.NotFound::class.java) { Mono.empty() }
            .block()
}
