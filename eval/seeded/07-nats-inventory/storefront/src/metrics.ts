import { Counter } from "prom-client";
import { natsConnection } from "./bus.js";

const inventoryEvents = new Counter({
  name: "storefront_inventory_events_total",
  help: "Inventory events seen on the bus, by subject",
  labelNames: ["subject"],
});

export async function countInventoryEvents(): Promise<void> {
  const nc = await natsConnection();
  for await (const msg of nc.subscribe("inventory.stock.>")) {
    inventoryEvents.inc({ subject: msg.subject });
  }
}
