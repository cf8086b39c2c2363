import os

KAFKA_BOOTSTRAP_SERVERS = os.getenv("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
CONSUMER_GROUP = os.getenv("CONSUMER_GROUP", "fulfillment")

ORDERS_PLACED_TOPIC = os.getenv("ORDERS_PLACED_TOPIC", "orders.placed.v1")
ORDERS_CANCELLED_TOPIC = os.getenv("ORDERS_CANCELLED_TOPIC", "orders.cancelled.v1")

# DHL pushes parcel scans to their own cluster; we read them with a partner account.
PARTNER_KAFKA_BOOTSTRAP = os.getenv("PARTNER_KAFKA_BOOTSTRAP", "kafka.partners.dhl.com:9093")
PARTNER_KAFKA_USER = os.getenv("PARTNER_KAFKA_USER", "")
PARTNER_KAFKA_PASSWORD = os.getenv("PARTNER_KAFKA_PASSWORD", "")

WMS_URL = os.getenv("WMS_URL", "https://wms.example-3pl.com/api/v2")
