from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class InventoryItem(BaseModel):
    sku: str
    name: str
    on_hand: int
    reserved: int
    warehouse_id: str
    restock_eta: datetime | None = None
    updated_at: datetime


class InventoryPage(BaseModel):
    items: list[InventoryItem]
    next_cursor: str | None = None


class ReservationRequest(BaseModel):
    sku: str
    quantity: int = Field(ge=1)
    order_id: str


class Reservation(BaseModel):
    reservation_id: str
    sku: str
    quantity: int
    expires_at: datetime
