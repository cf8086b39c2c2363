import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from aiokafka import AIOKafkaProducer
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg

log = logging.getLogger(__name__)

BALANCE_SUBJECT = "ledger.balance.get"


@dataclass(frozen=True)
class Entry:
    entry_id: str
    account_id: str
    amount_minor: int
    currency: str
    direction: str
    posted_at: str
    memo: str | None = None

    @classmethod
    def from_message(cls, raw: bytes) -> "Entry":
        data = json.loads(raw)
        return cls(
            entry_id=data["entry_id"],
            account_id=data["account_id"],
            amount_minor=data["amount_minor"],
            currency=data["currency"],
            direction=data["direction"],
            posted_at=data["posted_at"],
            memo=data.get("memo"),
        )


class Scorer:
    def __init__(self, nc: NATS, producer: AIOKafkaProducer, topic: str):
        self._nc = nc
        self._producer = producer
        self._topic = topic

    async def on_entry(self, msg: Msg) -> None:
        entry = Entry.from_message(msg.data)
        if entry.direction != "debit":
            return

        reply = await self._nc.request(
            BALANCE_SUBJECT, json.dumps({"account_id": entry.account_id}).encode(), timeout=1.5
        )
        balance = json.loads(reply.data)
        headroom = max(balance["balance_minor"] + entry.amount_minor, 1)
        score = round(min(1.0, entry.amount_minor / headroom), 4)

        await self._producer.send_and_wait(
            self._topic,
            key=entry.account_id,
            value={
                "account_id": entry.account_id,
                "entry_id": entry.entry_id,
                "score": score,
                "exposure_minor": entry.amount_minor,
                "scored_at": datetime.now(timezone.utc).isoformat(),
            },
        )
        log.debug("scored %s: %.4f", entry.entry_id, score)
