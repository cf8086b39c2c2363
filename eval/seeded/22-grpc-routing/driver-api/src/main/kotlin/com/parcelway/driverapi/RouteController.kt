package com.parcelway.driverapi

import org.springframework.web.bind.annotation.GetMapping
import org.springframework.web.bind.annotation.PathVariable
import org.springframework.web.bind.annotation.RestController

@RestController
class RouteController(private val routes: RouteService) {
    @GetMapping("/driver/routes/{routeId}")
    suspend fun route(@PathVariable routeId: String): DriverRouteView = routes.route(routeId)
}
