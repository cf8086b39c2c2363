from __future__ import annotations

import json

from nats.aio.client import Client as NATS

ETA_SUBJECT = "dispatch.eta.request"


class DispatchGateway:
    """Request/reply calls into the dispatch service."""

    def __init__(self, nc: NATS, timeout: float = 1.5):
        self._nc = nc
        self._timeout = timeout

    async def eta_minutes(self, job_id: str, lat: float, lon: float) -> int:
        payload = {"job_id": job_id, "pickup": {"lat": lat, "lon": lon}}
        msg = await self._nc.request(ETA_SUBJECT, json.dumps(payload).encode(), timeout=self._timeout)
        reply = json.loads(msg.data)
        if not reply["driver_id"]:
            raise LookupError("no driver available")
        return int(reply["eta_minutes"])
