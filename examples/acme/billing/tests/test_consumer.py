import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from billing.consumer import handle_order_created
from billing.invoices import AmountMismatch, InvoiceService
from billing.models import OrderLine, OrderSnapshot

ORDER_ID = "5f0c2a7e-0000-4000-8000-000000000001"


class FakeOrders:
    def __init__(self, total_cents: int | None = None) -> None:
        self.total_cents = total_cents
        self.requested: list[str] = []

    def get_order(self, order_id: str) -> OrderSnapshot:
        self.requested.append(order_id)
        return OrderSnapshot(
            id=order_id,
            customer_id="cus_42",
            status="pending",
            currency="EUR",
            total_cents=self.total_cents if self.total_cents is not None else 2500,
            items=[OrderLine(sku="MUG-01", quantity=2, unit_price_cents=1250)],
            created_at=datetime(2025, 4, 1, 10, 0, tzinfo=timezone.utc),
        )


class MatchingOrders(FakeOrders):
    """Answers with whatever total the event carried."""

    def __init__(self, event: dict) -> None:
        super().__init__(total_cents=event["total_cents"])


class FakeCustomers:
    def email_for(self, customer_id: str) -> str | None:
        return "ada@example.com" if customer_id == "cus_42" else None


def make_event(**overrides):
    event = {
        "order_id": ORDER_ID,
        "customer_id": "cus_42",
        "total_cents": 2500,
        "currency": "EUR",
        "createdAt": "2025-04-01T10:00:00+00:00",
    }
    event.update(overrides)
    return event


@pytest.fixture
def order_created_event():
    """Hand-built here; platform's nightly contract replay points BILLING_REPLAY_EVENT at a
    message recorded from the staging `order.created` topic."""
    recorded = os.environ.get("BILLING_REPLAY_EVENT")
    if recorded:
        return json.loads(Path(recorded).read_text(encoding="utf-8"))
    return make_event()


@pytest.fixture
def service():
    return InvoiceService(FakeOrders(), FakeCustomers())


def test_invoice_created_for_order(order_created_event):
    service = InvoiceService(MatchingOrders(order_created_event), FakeCustomers())

    invoice = handle_order_created(order_created_event, service)

    assert invoice.invoice_id == f"INV-{order_created_event['order_id']}"
    assert invoice.amount_cents == order_created_event["total_cents"]
    assert service.issued == [invoice]


def test_invoice_amount_is_integer_cents(service):
    invoice = handle_order_created(make_event(), service)

    assert invoice.amount_cents == 2500
    assert isinstance(invoice.amount_cents, int)
    assert invoice.order_placed_at == datetime(2025, 4, 1, 10, 0, tzinfo=timezone.utc)


def test_customer_email_looked_up(service):
    invoice = handle_order_created(make_event(), service)

    assert invoice.customer_email == "ada@example.com"


def test_total_mismatch_is_rejected():
    service = InvoiceService(FakeOrders(total_cents=9999), FakeCustomers())

    with pytest.raises(AmountMismatch):
        handle_order_created(make_event(), service)


def test_invoice_serialises_with_camel_case_aliases(service):
    invoice = handle_order_created(make_event(), service)

    dumped = invoice.model_dump(by_alias=True)
    assert "invoiceId" in dumped
    assert "amountCents" in dumped
