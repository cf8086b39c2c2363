from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Site(BaseModel):
    site_id: str
    name: str
    customer: str
    country: str
    timezone: str
    sensor_count: int
    decommissioned_at: datetime | None = None
