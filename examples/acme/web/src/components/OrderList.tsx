import { useEffect, useState } from "react";

import { listOrders, type Order } from "../api/orders";

// ADR-0002: amounts arrive as integer cents; format only at the edge.
function formatCents(cents: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(cents / 100);
}

export function OrderList() {
  const [orders, setOrders] = useState<Order[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    listOrders()
      .then(setOrders)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  if (error) {
    return <p role="alert">Could not load orders: {error}</p>;
  }

  return (
    <table>
      <thead>
        <tr>
          <th>Order</th>
          <th>Placed</th>
          <th>Status</th>
          <th>Total</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id}>
            <td>{order.id.slice(0, 8)}</td>
            <td>{new Date(order.createdAt).toLocaleString()}</td>
            <td>{order.status}</td>
            <td>{formatCents(order.totalCents, order.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
