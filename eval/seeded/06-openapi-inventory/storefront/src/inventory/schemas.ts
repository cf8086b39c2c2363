import { z } from "zod";

export const InventoryItem = z.object({
  sku: z.string(),
  name: z.string(),
  on_hand: z.number().int(),
  reserved: z.number().int(),
  warehouse_id: z.string(),
  restock_eta: z.string().datetime(),
  updated_at: z.string().datetime(),
});
export type InventoryItem = z.infer<typeof InventoryItem>;

export const Reservation = z.object({
  reservation_id: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  expires_at: z.string().datetime(),
});
export type Reservation = z.infer<typeof Reservation>;
