import { Analytics } from "@segment/analytics-node";
import { InventoryClient } from "./client.js";

const analytics = new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY ?? "" });

export class CartStock {
  constructor(private readonly inventory: InventoryClient = new InventoryClient()) {}

  async availability(sku: string): Promise<{ available: number; restockEta: string | null }> {
    const item = await this.inventory.getItem(sku);
    return { available: item.on_hand - item.reserved, restockEta: item.restock_eta };
  }

  async holdForCheckout(userId: string, orderId: string, sku: string, quantity: number) {
    const r = await this.inventory.reserve(sku, quantity, orderId);
    analytics.track({
      userId,
      event: "Stock Reserved",
      properties: { reservationId: r.reservation_id, sku: r.sku, expiresAt: r.expires_at },
    });
    return r;
  }

  async keepAlive(reservationId: string) {
    return this.inventory.extend(reservationId, 10);
  }
}
