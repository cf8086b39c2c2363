from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class JobCompleted(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    job_id: str
    driver_id: str
    completed_at: datetime
    distance_m: int
    duration_seconds: int = Field(alias="duration_s")


class FareQuote(BaseModel):
    job_id: str
    eta_minutes: int
    amount_cents: int
    currency: str = "EUR"
