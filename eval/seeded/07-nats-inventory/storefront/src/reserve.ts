import { json, natsConnection } from "./bus.js";

export interface ReserveLine {
  sku: string;
  quantity: number;
}

export interface ReserveReply {
  reservation_id?: string;
  reserved: boolean;
  expires_at: string;
  shortages?: string[];
}

export async function reserveStock(orderId: string, lines: ReserveLine[]): Promise<ReserveReply> {
  const nc = await natsConnection();
  const msg = await nc.request("inventory.reserve", json.encode({ order_id: orderId, lines }), {
    timeout: 2_000,
  });
  return json.decode(msg.data) as ReserveReply;
}
