import { Controller, Get, HttpCode, NotFoundException, Param, Post } from "@nestjs/common";
import { TrackingStore } from "./tracking.store";
import { TrackingView } from "./tracking.view";

@Controller("tracking")
export class TrackingController {
  constructor(private readonly store: TrackingStore) {}

  @Get(":routeId")
  get(@Param("routeId") routeId: string): TrackingView {
    const progress = this.store.get(routeId);
    if (!progress) throw new NotFoundException(`route ${routeId}`);
    return {
      routeId,
      status: progress.status,
      completedStops: progress.completedStops,
      totalStops: progress.totalStops,
      lastPingAt: progress.lastPingAt?.toISOString(),
    };
  }

  @Post(":routeId/ping")
  @HttpCode(204)
  ping(@Param("routeId") routeId: string): void {
    this.store.ping(routeId);
  }
}
