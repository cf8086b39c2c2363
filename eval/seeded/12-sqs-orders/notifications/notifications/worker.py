from __future__ import annotations

import logging
import os

import boto3

from notifications.events import OrderShipped
from notifications.sms import send_sms

log = logging.getLogger(__name__)

sqs = boto3.client("sqs", region_name=os.getenv("AWS_REGION", "eu-west-1"))


def queue_url() -> str:
    name = os.getenv("ORDER_SHIPPED_QUEUE", "order-shipped")
    return sqs.get_queue_url(QueueName=name)["QueueUrl"]


def handle(message: dict) -> None:
    version = int(message["MessageAttributes"]["event_version"]["StringValue"])
    if version != 1:
        log.warning("skipping order.shipped v%s", version)
        return
    event = OrderShipped.model_validate_json(message["Body"])
    units = sum(item.qty for item in event.items)
    send_sms(
        event.customer_id,
        f"Your order {event.order_id} ({units} items) is on its way with {event.carrier}: {event.tracking_url}",
    )


def run() -> None:
    url = queue_url()
    while True:
        resp = sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=20,
            MessageAttributeNames=["All"],
        )
        for message in resp.get("Messages", []):
            try:
                handle(message)
            except Exception:
                log.exception("failed to handle %s", message["MessageId"])
                continue
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    run()
