import json
import logging
import signal
import threading

from confluent_kafka import Consumer, KafkaException

from fulfillment import handlers, settings

log = logging.getLogger("fulfillment.consumer")

HANDLERS = {
    settings.ORDERS_PLACED_TOPIC: handlers.handle_order_placed,
    settings.ORDERS_CANCELLED_TOPIC: handlers.handle_order_cancelled,
}


def _run(consumer: Consumer, dispatch, stop: threading.Event) -> None:
    try:
        while not stop.is_set():
            msg = consumer.poll(1.0)
            if msg is None:
                continue
            if msg.error():
                raise KafkaException(msg.error())
            dispatch(msg.topic(), json.loads(msg.value()))
            consumer.commit(message=msg, asynchronous=False)
    finally:
        consumer.close()


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    orders = Consumer({
        "bootstrap.servers": settings.KAFKA_BOOTSTRAP_SERVERS,
        "group.id": settings.CONSUMER_GROUP,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    orders.subscribe(list(HANDLERS))

    carrier = Consumer({
        "bootstrap.servers": settings.PARTNER_KAFKA_BOOTSTRAP,
        "group.id": "acme-fulfillment",
        "security.protocol": "SASL_SSL",
        "sasl.mechanisms": "SCRAM-SHA-512",
        "sasl.username": settings.PARTNER_KAFKA_USER,
        "sasl.password": settings.PARTNER_KAFKA_PASSWORD,
        "auto.offset.reset": "latest",
        "enable.auto.commit": False,
    })
    carrier.subscribe(["dhl-parcel.tracking-events"])

    threading.Thread(
        target=_run,
        args=(carrier, lambda _topic, scan: handlers.handle_parcel_scan(scan), stop),
        daemon=True,
    ).start()
    _run(orders, lambda topic, event: HANDLERS[topic](event), stop)


if __name__ == "__main__":
    main()
