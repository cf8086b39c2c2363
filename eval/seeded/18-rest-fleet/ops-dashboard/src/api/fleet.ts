import type { Position, Trip, Vehicle, VehicleList } from "./types";

const VEHICLES_URL = import.meta.env.VITE_VEHICLES_URL ?? "/svc/vehicles";
const TELEMETRY_URL = import.meta.env.VITE_TELEMETRY_URL ?? "/svc/telemetry";

async function getJSON<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText} for ${url}`);
  return (await res.json()) as T;
}

export function listVehicles(depot?: string): Promise<VehicleList> {
  const q = depot ? `?depot=${encodeURIComponent(depot)}` : "";
  return getJSON<VehicleList>(`${VEHICLES_URL}/vehicles${q}`);
}

export function getVehicle(id: string): Promise<Vehicle> {
  return getJSON<Vehicle>(`${VEHICLES_URL}/vehicles/${id}`);
}

export function getPosition(id: string): Promise<Position> {
  return getJSON<Position>(`${TELEMETRY_URL}/v1/vehicles/${id}/position`);
}

export function getTrips(id: string): Promise<Trip[]> {
  return getJSON<Trip[]>(`${TELEMETRY_URL}/v1/vehicles/${id}/trips`);
}
