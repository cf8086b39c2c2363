package com.parcelway.driverapi

import com.parcelway.routing.v1.RouteOptimizerGrpcKt.RouteOptimizerCoroutineStub
import com.parcelway.routing.v1.getRouteRequest
import java.time.Instant
import org.springframework.stereotype.Service

data class StopView(val stopId: String, val parcelId: String, val lat: Double, val lon: Double, val eta: Instant)

data class DriverRouteView(
    val routeId: String,
    val stops: List<StopView>,
    val distanceKm: Double,
    val durationMinutes: Int,
    val progress: String,
    val lastPing: Instant,
)

@Service
class RouteService(
    private val routing: RouteOptimizerCoroutineStub,
    private val tracking: TrackingClient,
) {
    suspend fun route(routeId: String): DriverRouteView {
        val route = routing.getRoute(getRouteRequest { this.routeId = routeId })
        val status = tracking.status(routeId)

        val stops = route.stopsList
            .sortedBy { it.sequence }
            .map { StopView(it.stopId, it.parcelId, it.lat, it.lon, Instant.ofEpochSecond(it.eta.seconds, it.eta.nanos.toLong())) }

        return DriverRouteView(
            routeId = route.routeId,
            stops = stops,
            distanceKm = route.totalDistanceMeters / 1000.0,
            durationMinutes = route.estimatedDurationSeconds / 60,
            progress = "${status.completedStops}/${status.totalStops}",
            lastPing = status.lastPingAt,
        )
    }
}
