import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import psycopg
from acme.payments.v1 import payments_pb2

from refunds.client import PaymentsClient

log = logging.getLogger("refunds.worker")

REFUND_WINDOW = timedelta(days=90)


class RefundWindowExpired(Exception):
    pass


@dataclass
class RefundRequest:
    request_id: str
    payment_id: str
    amount_minor: int
    currency: str
    reason: str


class RefundWorker:
    def __init__(self, payments: PaymentsClient, conn: psycopg.Connection):
        self.payments = payments
        self.conn = conn

    def next_request(self) -> RefundRequest | None:
        row = self.conn.execute(
            "SELECT id, payment_id, amount_minor, currency, reason FROM refund_requests"
            " WHERE state = 'pending' ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED"
        ).fetchone()
        return RefundRequest(*row) if row else None

    def process(self, req: RefundRequest) -> None:
        payment = self.payments.get_payment(req.payment_id)

        if payment.status == payments_pb2.PAYMENT_STATUS_AUTHORIZED:
            self.payments.void(req.payment_id, req.reason)
            self._finish(req, {"paymentId": req.payment_id, "action": "void"})
            return

        captured_at = payment.captured_at.ToDatetime(tzinfo=timezone.utc)
        if datetime.now(timezone.utc) - captured_at > REFUND_WINDOW:
            raise RefundWindowExpired(req.payment_id)

        resp = self.payments.refund(
            req.payment_id, req.amount_minor, req.currency, req.reason, idempotency_key=req.request_id
        )
        refunded_minor = resp.refunded.amount_minor

        audit = {
            "paymentId": req.payment_id,
            "refundId": resp.refund_id,
            "refundedMinor": refunded_minor,
            "action": "refund",
        }
        self._finish(req, audit)

    def _finish(self, req: RefundRequest, audit: dict) -> None:
        self.conn.execute(
            "UPDATE refund_requests SET state = 'done', audit = %s WHERE id = %s",
            (json.dumps(audit), req.request_id),
        )
        self.conn.commit()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    payments = PaymentsClient()
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        worker = RefundWorker(payments, conn)
        while True:
            req = worker.next_request()
            if req is None:
                conn.commit()
                time.sleep(2)
                continue
            try:
                worker.process(req)
            except RefundWindowExpired:
                log.warning("refund window expired for %s", req.payment_id)
                conn.execute("UPDATE refund_requests SET state = 'rejected' WHERE id = %s", (req.request_id,))
                conn.commit()


if __name__ == "__main__":
    main()
