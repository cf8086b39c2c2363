import asyncio
import json
import logging
import os

import nats
from aiokafka import AIOKafkaProducer

from risk.scorer import Scorer

NATS_URL = os.environ.get("NATS_URL", "nats://nats:4222")
KAFKA_BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP", "kafka:9092")
RISK_SCORES_TOPIC = os.environ.get("RISK_SCORES_TOPIC", "risk.scores.v1")


async def main() -> None:
    nc = await nats.connect(NATS_URL, name="risk")
    producer = AIOKafkaProducer(
        bootstrap_servers=KAFKA_BOOTSTRAP,
        key_serializer=str.encode,
        value_serializer=lambda v: json.dumps(v).encode(),
        acks="all",
    )
    await producer.start()
    try:
        scorer = Scorer(nc, producer, RISK_SCORES_TOPIC)
        await nc.subscribe("ledger.entry.posted", queue="risk", cb=scorer.on_entry)
        await asyncio.Event().wait()
    finally:
        await producer.stop()
        await nc.drain()


def run() -> None:
    logging.basicConfig(level=logging.INFO)
    asyncio.run(main())


if __name__ == "__main__":
    run()
