export interface Vehicle {
  plate: string;
  kind: "sedan" | "van" | "bike";
}

export interface JobAssigned {
  job_id: string;
  driver_id: string;
  assigned_at: string;
  vehicle: Vehicle[];
}

export interface JobCancelled {
  job_id: string;
  driver_id: string;
  reason: string;
}
