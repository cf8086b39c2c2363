import { useQuery } from "@tanstack/react-query";
import { getPosition, getTrips, getVehicle } from "./api/fleet";

const compass = (deg: number) => ["N", "NE", "E", "SE", "S", "SW", "W", "NW"][Math.round(deg / 45) % 8];

export function VehiclePanel({ id }: { id: string }) {
  const vehicle = useQuery({ queryKey: ["vehicle", id], queryFn: () => getVehicle(id) });
  const position = useQuery({ queryKey: ["position", id], queryFn: () => getPosition(id), refetchInterval: 10_000 });
  const trips = useQuery({ queryKey: ["trips", id], queryFn: () => getTrips(id) });

  if (!vehicle.data) return <p>Loading…</p>;
  const v = vehicle.data;
  const p = position.data;
  const kmToday = (trips.data ?? []).reduce((sum, t) => sum + t.distance_km, 0);

  return (
    <section>
      <h2>
        {v.model} ({v.year}) · {v.depot}
      </h2>
      <p>Odometer: {v.odometerKm.toLocaleString()} km · today {kmToday.toFixed(1)} km</p>
      {p && (
        <p>
          {p.speedKph.toFixed(0)} km/h heading {compass(p.heading)} · seen {new Date(p.recordedAt).toLocaleTimeString()}
        </p>
      )}
    </section>
  );
}
