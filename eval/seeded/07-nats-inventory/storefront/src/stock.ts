import { json, natsConnection } from "./bus.js";

export interface StockUpdated {
  sku: string;
  warehouse: string;
  on_hand: number;
  reserved: number;
  updated_at: string;
}

export interface StockView {
  sku: string;
  onHand: number;
  available: number;
  inStock: boolean;
}

const byLocation = new Map<string, StockView>();

export function stockFor(sku: string, warehouse: string): StockView | undefined {
  return byLocation.get(`${sku}@${warehouse}`);
}

export async function watchStock(): Promise<void> {
  const nc = await natsConnection();
  const sub = nc.subscribe("inventory.stock.updated");

  for await (const msg of sub) {
    const update = json.decode(msg.data) as StockUpdated;
    const available = update.on_hand - update.reserved;

    byLocation.set(`${update.sku}@${update.warehouse}`, {
      sku: update.sku,
      available,
      inStock: available > 0,
      onHand: update.on_hand,
    });
  }
}
