from __future__ import annotations

import asyncio
import logging
import os

import nats
from nats.errors import TimeoutError as NatsTimeoutError

from fares.dispatch_gateway import DispatchGateway
from fares.models import FareQuote, JobCompleted

log = logging.getLogger("fares")

BASE_CENTS = 250
PER_MINUTE_CENTS = 35
PER_KM_CENTS = 110


async def quote(gateway: DispatchGateway, job_id: str, lat: float, lon: float) -> FareQuote:
    minutes = await gateway.eta_minutes(job_id, lat, lon)
    return FareQuote(job_id=job_id, eta_minutes=minutes, amount_cents=BASE_CENTS + minutes * PER_MINUTE_CENTS)


def final_fare(job: JobCompleted) -> int:
    return BASE_CENTS + (job.duration_seconds // 60) * PER_MINUTE_CENTS + (job.distance_m // 1000) * PER_KM_CENTS


async def settle_completed_jobs(nc: nats.NATS) -> None:
    js = nc.jetstream()
    psub = await js.pull_subscribe("dispatch.job.completed", durable="fares-settlement", stream="DISPATCH")
    seen: set[str] = set()
    while True:
        try:
            msgs = await psub.fetch(batch=20, timeout=5)
        except NatsTimeoutError:
            continue
        for msg in msgs:
            msg_id = (msg.headers or {}).get("Nats-Msg-Id", "")
            if msg_id and msg_id in seen:
                await msg.ack()
                continue
            job = JobCompleted.model_validate_json(msg.data)
            log.info("job %s settled at %d cents", job.job_id, final_fare(job))
            seen.add(msg_id)
            await msg.ack()


async def main() -> None:
    logging.basicConfig(level=logging.INFO)
    nc = await nats.connect(os.getenv("NATS_URL", "nats://nats:4222"), name="fares")
    try:
        await settle_completed_jobs(nc)
    finally:
        await nc.drain()


if __name__ == "__main__":
    asyncio.run(main())
