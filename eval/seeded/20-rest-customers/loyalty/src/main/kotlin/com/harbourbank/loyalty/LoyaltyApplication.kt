package com.harbourbank.loyalty

import java.time.LocalDate
import org.springframework.boot.autoconfigure.SpringBootApplication
import org.springframework.boot.runApplication
import org.springframework.context.annotation.Bean

@SpringBootApplication
class LoyaltyApplication {
    @Bean
    fun pointsLedger(): PointsLedger = object : PointsLedger {
        override fun balance(customerId: String): Long? = null
        override fun nextExpiry(customerId: String): LocalDate? = null
    }
}

fun main(args: Array<String>) {
    runApplication<LoyaltyApplication>(*args)
}
