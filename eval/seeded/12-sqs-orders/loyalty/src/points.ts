import pg from "pg";

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });

export interface PointsChange {
  customerId: string;
  orderId: string;
  pointsDelta: number;
  reason: string;
}

export async function applyPoints(change: PointsChange): Promise<void> {
  await pool.query(
    `INSERT INTO points_ledger (customer_id, order_id, delta, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (order_id, reason) DO NOTHING`,
    [change.customerId, change.orderId, change.pointsDelta, change.reason],
  );
}
