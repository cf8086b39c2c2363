import json
from dataclasses import dataclass

import grpc
import nats
import pika
import requests
from confluent_kafka import Consumer
from fastapi import Depends, FastAPI
from flask import Flask, jsonify, request
from kafka import KafkaConsumer
from pydantic import BaseModel

import demo_pb2_grpc
from genproto import demo_pb2
from models import Invoice

app = FastAPI()
web = Flask(__name__)


class Order(BaseModel):
    id: str
    total: float


@dataclass
class Refund:
    order_id: str
    amount: float


# A gRPC client: the stub is built in __init__ and kept on self.
class CartClient:
    stub: demo_pb2_grpc.CartServiceStub

    def __init__(self, channel):
        self.stub = demo_pb2_grpc.CartServiceStub(channel)

    def items(self, user_id):
        cart = self.stub.GetCart(demo_pb2.GetCartRequest(user_id=user_id))  # expect: consumes sym:@#CartClient.items -> grpc:CartService/GetCart ;; writes_field sym:@#CartClient.items -> flow:T|py:genproto.demo_pb2|GetCartRequest ;; name=user_id
        return [i.product_id for i in cart.items]  # expect: flow:B|grpc|CartService/GetCart>items[] ;; name=product_id ;; name=items


# A servicer: methods serve the rpc of their name and read the request; a subclass too.
class BaseRecommendations(demo_pb2_grpc.RecommendationServiceServicer):
    def ListRecommendations(self, request, context):  # expect: implements sym:@#BaseRecommendations.ListRecommendations -> grpc:RecommendationService/ListRecommendations
        ids = list(request.product_ids)  # expect: flow:B|grpc-req|RecommendationService/ListRecommendations ;; name=product_ids
        response = demo_pb2.ListRecommendationsResponse()
        response.product_ids.extend(ids)  # expect: writes_field ;; flow:T|py:genproto.demo_pb2|ListRecommendationsResponse ;; name=product_ids
        return response


class DummyRecommendations(BaseRecommendations):
    def ListRecommendations(self, request, context):  # expect: implements sym:@#DummyRecommendations.ListRecommendations -> grpc:RecommendationService/ListRecommendations
        print(f"for {request.user_id=}")  # expect: flow:B|grpc-req|RecommendationService/ListRecommendations ;; name=user_id
        return demo_pb2.ListRecommendationsResponse(product_ids=[])  # expect: writes_field ;; name=product_ids


# HTTP clients: keyword bodies, json() of the response, dict reads and .get.
def pay(order_id, amount):
    payload = {"orderId": order_id, "amount": amount}  # expect: writes_field sym:@#pay -> flow:B|http-req|POST /payments ;; name=orderId
    resp = requests.post("http://payments:8080/payments", json=payload)
    body = resp.json()
    return body["transactionId"], body.get("status")  # expect: flow:B|http|POST /payments ;; name=transactionId ;; name=status


def invoice(order_id):
    with requests.Session() as session:
        r = session.get(f"http://billing:8080/invoices/{order_id}")
        inv = Invoice.model_validate(r.json())  # expect: uses_type sym:@#invoice -> flow:T|py:models|Invoice ;; boundary=http|GET /invoices/{}, role=decode
        return inv.number


# FastAPI: a model parameter is the request body; response_model is what is answered.
@app.post("/orders", response_model=Order)
async def create_order(order: Order, db=Depends(lambda: None)):  # expect: uses_type sym:@#create_order -> flow:T||Order ;; boundary=http-req|POST /orders, role=decode ;; boundary=http|POST /orders, role=encode
    return order


# Flask: the global request, jsonify of a dict.
@web.route("/refunds", methods=["POST"])
def refund():
    data = request.get_json()
    r = Refund(**data)  # expect: uses_type sym:@#refund -> flow:T||Refund ;; boundary=http-req|POST /refunds, role=decode
    return jsonify({"refunded": r.amount})  # expect: flow:T||Refund ;; name=amount


# Kafka (confluent): subscribe, poll, json.loads of value().
def settle():
    consumer = Consumer({"group.id": "billing"})
    consumer.subscribe(["payments.settled"])
    while True:
        msg = consumer.poll(1.0)
        event = json.loads(msg.value())
        print(event["paymentId"])  # expect: flow:B|topic|payments.settled ;; name=paymentId


# kafka-python: iterate the consumer; comprehension over a payload list.
def audit():
    consumer = KafkaConsumer("orders.audit", value_deserializer=lambda m: json.loads(m))
    for msg in consumer:
        skus = [line["sku"] for line in msg.value["lines"]]  # expect: flow:B|topic|orders.audit>lines[] ;; name=sku ;; name=lines
        print(skus)


# NATS: a callback subscription.
async def on_price(msg):
    price = json.loads(msg.data.decode())
    print(price["amountUsd"])  # expect: flow:B|topic|prices ;; name=amountUsd


async def prices():
    nc = await nats.connect("nats://nats:4222")
    await nc.subscribe("prices", cb=on_price)


# pika: the body parameter of the callback is the payload.
def on_shipment(ch, method, properties, body):
    shipment = json.loads(body)
    print(shipment["trackingNo"])  # expect: flow:B|topic|shipments ;; name=trackingNo


def shipments():
    channel = pika.BlockingConnection().channel()
    channel.basic_consume(queue="shipments", on_message_callback=on_shipment)


# Look-alikes: local dicts and files are not boundaries.
def local():
    cfg = {"orderId": 1}
    with open("x.json") as f:
        data = json.load(f)
    return cfg["orderId"], data["transactionId"]  # expect-not: flow:
