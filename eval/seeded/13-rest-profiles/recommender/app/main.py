import os
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from app.models import Recommendation, RecommendationList
from app.profiles import ProfilesClient

MODEL_VERSION = os.getenv("MODEL_VERSION")

profiles = ProfilesClient()
_recent: dict[str, dict] = {}


@asynccontextmanager
async def lifespan(_: FastAPI):
    yield
    await profiles.aclose()


app = FastAPI(title="recommender", lifespan=lifespan)


def rank(categories: list[str], locale: str, hour: int) -> list[Recommendation]:
    boost = 0.2 if 6 <= hour < 11 else 0.0
    return [
        Recommendation(product_id=f"{cat}-bestseller-{locale}", score=round(0.9 - i * 0.1 + boost, 3), reason=f"popular in {cat}")
        for i, cat in enumerate(categories[:10])
    ]


@app.get("/v1/recommendations/{user_id}", response_model=RecommendationList)
async def recommendations(user_id: str) -> RecommendationList:
    profile = await profiles.profile(user_id)
    prefs = await profiles.preferences(user_id)

    local_hour = datetime.now(ZoneInfo(profile["timezone"])).hour
    items = rank(prefs["categories"] or ["gifts"], profile["locale"], local_hour)

    _recent[user_id] = {"userId": user_id, "createdAt": datetime.now(timezone.utc).isoformat(), "count": len(items)}
    return RecommendationList(
        user_id=user_id,
        items=items,
        generated_at=datetime.now(timezone.utc),
        model_version=MODEL_VERSION,
    )
