import axios from "axios";

// Orders HTTP API (acme/orders, openapi/orders.yaml). camelCase on the wire.
export const ORDERS_URL = "http://orders:8080";

export type OrderStatus = "pending" | "paid" | "shipped" | "cancelled";

export interface LineItem {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface Order {
  id: string;
  customerId: string;
  status: OrderStatus;
  currency: string;
  totalCents: number;
  items: LineItem[];
  createdAt: string;
}

export interface CreateOrder {
  customerId: string;
  currency: string;
  items: LineItem[];
}

export async function listOrders(limit = 50): Promise<Order[]> {
  const res = await axios.get<Order[]>(`${ORDERS_URL}/orders`, { params: { limit } });
  return res.data;
}

export async function getOrder(id: string): Promise<Order> {
  const res = await axios.get<Order>(`${ORDERS_URL}/orders/${id}`);
  return res.data;
}

export async function createOrder(body: CreateOrder): Promise<Order> {
  const res = await axios.post<Order>(`${ORDERS_URL}/orders`, body);
  return res.data;
}
