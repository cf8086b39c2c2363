import json
import logging
import os

import pika

from mailer.mail import send_template

log = logging.getLogger("mailer")

AMQP_URL = os.environ.get("AMQP_URL", "amqp://guest:guest@rabbitmq:5672/%2F")
APP_URL = os.environ.get("APP_URL", "https://app.acme.example")
EXCHANGE = "accounts.events"
QUEUE = "mailer.user-signups"


def on_signed_up(channel, method, properties, body) -> None:
    event = json.loads(body)
    name = event["displayName"]
    plan = event["plan"]["code"]

    referral = event.get("referral_code")
    context = {
        "firstName": name.split(" ")[0],
        "loginUrl": f"{APP_URL}/login",
        "isTrial": plan == "free",
        "referralBonus": referral is not None,
    }
    send_template(event["email"], "welcome", "Welcome to Acme", context)
    channel.basic_ack(delivery_tag=method.delivery_tag)


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    connection = pika.BlockingConnection(pika.URLParameters(AMQP_URL))
    channel = connection.channel()
    channel.exchange_declare(exchange=EXCHANGE, exchange_type="topic", durable=True)
    channel.queue_declare(queue=QUEUE, durable=True)
    channel.queue_bind(queue=QUEUE, exchange=EXCHANGE, routing_key="user.signed_up")
    channel.basic_qos(prefetch_count=10)
    channel.basic_consume(queue=QUEUE, on_message_callback=on_signed_up)
    log.info("waiting for sign-ups on %s", QUEUE)
    try:
        channel.start_consuming()
    finally:
        connection.close()


if __name__ == "__main__":
    main()
