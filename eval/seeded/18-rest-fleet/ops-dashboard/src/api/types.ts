export interface Vehicle {
  id: string;
  vin: string;
  model: string;
  year: number;
  depot: string;
  odometerKm: number;
  last_service_at?: string;
}

export interface VehicleList {
  vehicles: Vehicle[];
  total: number;
}

export interface Position {
  vehicleId: string;
  lat: number;
  lon: number;
  speedKph: number;
  heading: number;
  recordedAt: string;
}

export interface Trip {
  started_at: string;
  ended_at: string | null;
  distance_km: number;
}
