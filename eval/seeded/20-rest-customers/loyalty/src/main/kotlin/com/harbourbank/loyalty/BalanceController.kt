package com.harbourbank.loyalty

import com.fasterxml.jackson.annotation.JsonProperty
import java.time.LocalDate
import org.springframework.http.ResponseEntity
import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.PathVariable
import org.springframework.web.bind.annotation.RequestMapping
import org.springframework.web.bind.annotation.RestController

data class BalanceResponse(
    val customerId: String,
    val points: Long,
    val tier: String,
    @JsonProperty("expires_on") val expiresOn: LocalDate?,
)

interface PointsLedger {
    fun balance(customerId: String): Long?
    fun nextExpiry(customerId: String): LocalDate?
}

@RestController
@RequestMapping("/api/loyalty")
class BalanceController(
    private val ledger: PointsLedger,
    private val customers: CustomersClient,
) {
    @GetMapping("/{customerId}/balance")
    fun balance(@PathVariable customerId: String): ResponseEntity<BalanceResponse> {
        val customer = customers.find(customerId) ?: return ResponseEntity.notFound().build()
        val points = ledger.balance(customerId) ?: 0L
        return ResponseEntity.ok(
            BalanceResponse(
                customerId = customer.id,
                points = points,
                tier = customer.loyaltyTier ?: "standard",
                expiresOn = ledger.nextExpiry(customerId),
            ),
        )
    }
}
