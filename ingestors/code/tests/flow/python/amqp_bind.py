import json

import pika

EXCHANGE = "accounts.events"
QUEUE = "mailer.user-signups"


def main(channel):
    channel.queue_declare(queue=QUEUE, durable=True)
    channel.queue_bind(queue=QUEUE, exchange=EXCHANGE, routing_key="user.signed_up")  # expect: subscribes sym:@#main -> topic:user.signed_up
    channel.queue_bind(QUEUE, EXCHANGE, "user.email_changed")  # expect: subscribes sym:@#main -> topic:user.email_changed
    channel.basic_consume(queue=QUEUE, on_message_callback=on_signed_up)  # expect: subscribes sym:@#main -> topic:mailer.user-signups


def on_signed_up(channel, method, properties, body):
    event = json.loads(body)
    return event["displayName"]  # expect: flow:B|topic|mailer.user-signups user.signed_up user.email_changed ;; name=displayName
