export interface OrderCancelled {
  order_id: string;
  customer_id: string;
  cancelled_at: string;
  reason: string;
  refund_amount_cents: string;
}

export interface OrderDelivered {
  order_id: string;
  customer_id: string;
  delivered_at: string;
  order_total_cents: number;
}
