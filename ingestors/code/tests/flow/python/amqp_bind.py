import pika

EXCHANGE = "accounts.events"
QUEUE = "mailer.user-signups"


def main(channel):
    channel.queue_declare(queue=QUEUE, durable=True)
    channel.queue_bind(queue=QUEUE, exchange=EXCHANGE, routing_key="user.signed_up")  # expect: subscribes sym:@#main -> topic:user.signed_up
    channel.queue_bind(QUEUE, EXCHANGE, "user.email_changed")  # expect: subscribes sym:@#main -> topic:user.email_changed
    channel.basic_consume(queue=QUEUE, on_message_callback=print)  # expect: subscribes sym:@#main -> topic:mailer.user-signups
