from datetime import datetime

from pydantic import BaseModel


class Recommendation(BaseModel):
    product_id: str
    score: float
    reason: str


class RecommendationList(BaseModel):
    user_id: str
    items: list[Recommendation]
    generated_at: datetime
    model_version: str | None = None
