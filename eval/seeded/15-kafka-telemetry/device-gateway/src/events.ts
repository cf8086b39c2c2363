export const TOPICS = {
  readings: "telemetry.readings.v1",
  status: "device.status.v1",
} as const;

export interface TelemetryReading {
  deviceId: string;
  /** Per-device counter. Devices send a uint64, so it travels as a decimal string. */
  seq: string;
  recordedAt: string;
  temperatureC: number;
  humidityPct?: number;
  batteryMv: number;
  firmware: string;
}

export interface DeviceStatus {
  deviceId: string;
  online: boolean;
  lastSeenAt: string;
  rssiDbm?: number;
}
