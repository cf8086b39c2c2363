"""Data shapes used by billing.

Amounts are integer cents everywhere (ADR-0002); there is deliberately no float field here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel


class OrderLine(BaseModel):
    """One line of an order as served by the orders HTTP API (camelCase JSON)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    sku: str
    quantity: int
    unit_price_cents: int


class OrderSnapshot(BaseModel):
    """Response of orders ``GET /orders/{id}`` (camelCase JSON)."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    id: str
    customer_id: str
    status: Literal["pending", "paid", "shipped", "cancelled"]
    currency: str
    total_cents: int
    items: list[OrderLine]
    created_at: datetime


class Invoice(BaseModel):
    """An invoice as billing stores and exports it."""

    model_config = ConfigDict(populate_by_name=True)

    invoice_id: str = Field(alias="invoiceId")
    order_id: str = Field(alias="orderId")
    customer_email: str | None = Field(default=None, alias="customerEmail")
    amount_cents: int = Field(alias="amountCents", ge=0)
    currency: str = Field(min_length=3, max_length=3)
    lines: list[OrderLine] = Field(default_factory=list)
    order_placed_at: datetime = Field(alias="orderPlacedAt")
    issued_at: datetime = Field(alias="issuedAt")
