from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from fastapi import FastAPI, HTTPException, Query, Response, status

from app.models import InventoryItem, InventoryPage, Reservation, ReservationRequest
from app.stock import StockRepository

app = FastAPI(title="Inventory API", version="2.8.0")
stock = StockRepository()

RESERVATION_TTL = timedelta(minutes=15)


@app.get("/v2/inventory", response_model=InventoryPage)
def list_inventory(warehouse_id: str, cursor: str | None = None, limit: int = Query(100, le=500)):
    items, next_cursor = stock.page(warehouse_id, cursor, limit)
    return InventoryPage(items=items, next_cursor=next_cursor)


@app.get("/v2/inventory/{sku}", response_model=InventoryItem)
def get_inventory_item(sku: str):
    item = stock.get(sku)
    if item is None:
        raise HTTPException(status_code=404, detail=f"unknown sku {sku}")
    return item


@app.post("/v2/reservations", response_model=Reservation, status_code=status.HTTP_201_CREATED)
def create_reservation(req: ReservationRequest):
    reservation_id = str(uuid.uuid4())
    if not stock.reserve(reservation_id, req.sku, req.quantity):
        raise HTTPException(status_code=409, detail="insufficient stock")
    return Reservation(
        reservation_id=reservation_id,
        sku=req.sku,
        quantity=req.quantity,
        expires_at=datetime.now(timezone.utc) + RESERVATION_TTL,
    )


@app.delete("/v2/reservations/{reservation_id}", status_code=status.HTTP_204_NO_CONTENT)
def release_reservation(reservation_id: str):
    stock.release(reservation_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
