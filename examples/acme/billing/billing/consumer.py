"""Kafka worker: one invoice per ``order.created`` event (contract: orders/asyncapi/order-events.yaml)."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer

from billing.customers import CustomerDirectory
from billing.invoices import InvoiceService, OrdersClient
from billing.models import Invoice

log = logging.getLogger("billing.consumer")

KAFKA_BROKERS = os.environ.get("KAFKA_BROKERS", "kafka:9092")


def handle_order_created(event: dict[str, Any], invoices: InvoiceService) -> Invoice:
    order_id = event["order_id"]
    placed_at = datetime.fromisoformat(event["createdAt"])
    return invoices.issue(
        order_id=order_id,
        customer_id=event["customer_id"],
        amount_cents=event["total_cents"],
        currency=event["currency"],
        order_placed_at=placed_at,
    )


def build_consumer() -> KafkaConsumer:
    return KafkaConsumer(
        "order.created",
        bootstrap_servers=KAFKA_BROKERS.split(","),
        group_id="billing",
        auto_offset_reset="earliest",
        enable_auto_commit=True,
        value_deserializer=lambda raw: json.loads(raw.decode("utf-8")),
    )


def run(consumer: KafkaConsumer, invoices: InvoiceService) -> None:
    for message in consumer:
        try:
            invoice = handle_order_created(message.value, invoices)
        except Exception:
            log.exception("skipping order.created at offset %s", message.offset)
            continue
        log.info("issued %s for order %s", invoice.invoice_id, invoice.order_id)


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    invoices = InvoiceService(OrdersClient(), CustomerDirectory())
    run(build_consumer(), invoices)


if __name__ == "__main__":
    main()
