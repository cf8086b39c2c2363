import axios, { type AxiosResponse } from "axios";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { getOrder, listOrders, ORDERS_URL, type Order } from "./orders";

vi.mock("axios");

const sample: Order = {
  id: "5f0c2a7e-0000-4000-8000-000000000001",
  customerId: "cus_42",
  status: "pending",
  currency: "EUR",
  totalCents: 2500,
  items: [{ sku: "MUG-01", quantity: 2, unitPriceCents: 1250 }],
  createdAt: "2025-04-01T10:00:00Z",
};

describe("orders api", () => {
  beforeEach(() => {
    vi.mocked(axios.get).mockReset();
  });

  it("lists orders from the orders service", async () => {
    vi.mocked(axios.get).mockResolvedValue({ data: [sample] } as AxiosResponse);

    const orders = await listOrders();

    expect(axios.get).toHaveBeenCalledWith(`${ORDERS_URL}/orders`, { params: { limit: 50 } });
    expect(orders[0]?.createdAt).toBe("2025-04-01T10:00:00Z");
  });

  it("fetches one order by id", async () => {
    vi.mocked(axios.get).mockResolvedValue({ data: sample } as AxiosResponse);

    const order = await getOrder(sample.id);

    expect(axios.get).toHaveBeenCalledWith(`${ORDERS_URL}/orders/${sample.id}`);
    expect(order.totalCents).toBe(2500);
  });
});
