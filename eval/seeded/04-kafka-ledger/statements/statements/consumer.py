from __future__ import annotations

import json
import logging
import os

from confluent_kafka import Consumer, KafkaError, KafkaException

from statements.store import StatementStore

log = logging.getLogger(__name__)

ENTRY_POSTED_TOPIC = os.getenv("LEDGER_ENTRY_TOPIC", "ledger.entry-posted.v1")


def build_consumer() -> Consumer:
    return Consumer(
        {
            "bootstrap.servers": os.getenv("KAFKA_BOOTSTRAP", "kafka-0:9092"),
            "group.id": "statements",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )


def handle_entry(event: dict, store: StatementStore) -> None:
    account_id = event["account_id"]
    amount = event["amountMinor"]
    if event["direction"] == "debit":
        amount = -amount

    store.append_line(
        account_id,
        {
            "entryId": event["entry_id"],
            "postedAt": event["posted_at"],
            "amount": amount,
            "currency": event["currency"],
            "description": event.get("memo", ""),
        },
    )


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    store = StatementStore(os.environ["STATEMENTS_DSN"])
    consumer = build_consumer()
    consumer.subscribe([ENTRY_POSTED_TOPIC])
    try:
        while True:
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                if msg.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise KafkaException(msg.error())
            handle_entry(json.loads(msg.value()), store)
            consumer.commit(message=msg, asynchronous=False)
    finally:
        consumer.close()


if __name__ == "__main__":
    main()
