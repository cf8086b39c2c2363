import axios, { type AxiosInstance } from "axios";
import { InventoryItem, Reservation } from "./schemas.js";

export class InventoryClient {
  private readonly http: AxiosInstance;

  constructor(baseURL: string = process.env.INVENTORY_URL ?? "http://inventory.internal") {
    this.http = axios.create({ baseURL, timeout: 3000 });
  }

  async getItem(sku: string): Promise<InventoryItem> {
    const { data } = await this.http.get(`/v2/inventory/${encodeURIComponent(sku)}`);
    return InventoryItem.parse(data);
  }

  async reserve(sku: string, quantity: number, orderId: string): Promise<Reservation> {
    const { data } = await this.http.post("/v2/reservations", { sku, quantity, order_id: orderId });
    return Reservation.parse(data);
  }

  async extend(reservationId: string, minutes: number): Promise<Reservation> {
    const { data } = await this.http.post(`/v2/reservations/${reservationId}/extend`, { minutes });
    return Reservation.parse(data);
  }

  async release(reservationId: string): Promise<void> {
    await this.http.delete(`/v2/reservations/${reservationId}`);
  }
}
