import { Injectable } from "@nestjs/common";
import type { RouteStatus } from "./tracking.view";

interface RouteProgress {
  status: RouteStatus;
  completedStops: number;
  totalStops: number;
  lastPingAt?: Date;
}

@Injectable()
export class TrackingStore {
  private readonly routes = new Map<string, RouteProgress>();

  get(routeId: string): RouteProgress | undefined {
    return this.routes.get(routeId);
  }

  ping(routeId: string, at: Date = new Date()): void {
    const r = this.routes.get(routeId);
    if (r) r.lastPingAt = at;
  }
}
