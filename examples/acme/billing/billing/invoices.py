"""Invoice issuing. Reads the full order from the orders HTTP API."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import Protocol

import httpx

from billing.models import Invoice, OrderSnapshot

ORDERS_URL = os.environ.get("ORDERS_URL", "http://orders:8080")


class AmountMismatch(Exception):
    """The event's total disagrees with the order the orders service returns."""


class OrdersClient:
    def __init__(self, base_url: str = ORDERS_URL, client: httpx.Client | None = None) -> None:
        self._base_url = base_url.rstrip("/")
        self._client = client or httpx.Client(timeout=5.0)

    def get_order(self, order_id: str) -> OrderSnapshot:
        resp = self._client.get(f"{self._base_url}/orders/{order_id}")
        resp.raise_for_status()
        return OrderSnapshot.model_validate(resp.json())


class Customers(Protocol):
    def email_for(self, customer_id: str) -> str | None: ...


class Orders(Protocol):
    def get_order(self, order_id: str) -> OrderSnapshot: ...


class InvoiceService:
    def __init__(self, orders: Orders, customers: Customers) -> None:
        self._orders = orders
        self._customers = customers
        self.issued: list[Invoice] = []

    def issue(
        self,
        *,
        order_id: str,
        customer_id: str,
        amount_cents: int,
        currency: str,
        order_placed_at: datetime,
    ) -> Invoice:
        order = self._orders.get_order(order_id)
        if order.total_cents != amount_cents:
            raise AmountMismatch(f"{order_id}: event {amount_cents} != order {order.total_cents}")
        invoice = Invoice(
            invoice_id=f"INV-{order_id}",
            order_id=order_id,
            customer_email=self._customers.email_for(customer_id),
            amount_cents=amount_cents,
            currency=currency,
            lines=order.items,
            order_placed_at=order_placed_at,
            issued_at=datetime.now(timezone.utc),
        )
        self.issued.append(invoice)
        return invoice
