import os

import httpx

PROFILES_URL = os.getenv("PROFILES_URL", "http://profiles:8080")


class ProfilesClient:
    def __init__(self, base_url: str = PROFILES_URL):
        self._http = httpx.AsyncClient(base_url=base_url, timeout=2.0)

    async def profile(self, user_id: str) -> dict:
        resp = await self._http.get(f"/v1/profiles/{user_id}")
        resp.raise_for_status()
        return resp.json()

    async def preferences(self, user_id: str) -> dict:
        resp = await self._http.get(f"/v1/profiles/{user_id}/preferences")
        resp.raise_for_status()
        return resp.json()

    async def aclose(self) -> None:
        await self._http.aclose()
