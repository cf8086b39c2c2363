from __future__ import annotations

import threading
from datetime import datetime, timezone

from app.models import InventoryItem


class StockRepository:
    """In-process stand-in for the Postgres-backed repository."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: dict[str, InventoryItem] = {}
        self._reservations: dict[str, tuple[str, int]] = {}

    def get(self, sku: str) -> InventoryItem | None:
        return self._items.get(sku)

    def page(self, warehouse_id: str, cursor: str | None, limit: int) -> tuple[list[InventoryItem], str | None]:
        skus = sorted(s for s, i in self._items.items() if i.warehouse_id == warehouse_id and (cursor is None or s > cursor))
        chunk = skus[:limit]
        next_cursor = chunk[-1] if len(skus) > limit else None
        return [self._items[s] for s in chunk], next_cursor

    def reserve(self, reservation_id: str, sku: str, quantity: int) -> bool:
        with self._lock:
            item = self._items.get(sku)
            if item is None or item.on_hand - item.reserved < quantity:
                return False
            item.reserved += quantity
            item.updated_at = datetime.now(timezone.utc)
            self._reservations[reservation_id] = (sku, quantity)
            return True

    def release(self, reservation_id: str) -> None:
        with self._lock:
            sku, quantity = self._reservations.pop(reservation_id, (None, 0))
            if sku in self._items:
                self._items[sku].reserved -= quantity
