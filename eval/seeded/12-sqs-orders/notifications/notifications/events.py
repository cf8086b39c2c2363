from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class ShippedItem(BaseModel):
    sku: str
    qty: int


class OrderShipped(BaseModel):
    order_id: str
    customer_id: str
    carrier: str
    tracking_number: str
    tracking_url: str
    shipped_at: datetime
    items: list[ShippedItem]
