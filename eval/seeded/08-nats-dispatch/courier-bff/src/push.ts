import type { WebSocket } from "ws";

const sockets = new Map<string, Set<WebSocket>>();

export function register(driverId: string, ws: WebSocket): void {
  if (!sockets.has(driverId)) sockets.set(driverId, new Set());
  sockets.get(driverId)!.add(ws);
  ws.on("close", () => sockets.get(driverId)?.delete(ws));
}

export function pushToDriver(driverId: string, message: unknown): void {
  const payload = JSON.stringify(message);
  for (const ws of sockets.get(driverId) ?? []) ws.send(payload);
}

export function broadcast(message: unknown): void {
  const payload = JSON.stringify(message);
  for (const set of sockets.values()) for (const ws of set) ws.send(payload);
}
