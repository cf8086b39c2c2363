export type RouteStatus = "planned" | "in_progress" | "completed";

export class TrackingView {
  routeId!: string;
  status!: RouteStatus;
  completedStops!: number;
  totalStops!: number;
  /** Absent until the driver app has reported a position for this route. */
  lastPingAt?: string;
}
