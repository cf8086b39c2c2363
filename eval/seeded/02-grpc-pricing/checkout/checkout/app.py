from __future__ import annotations

import grpc
from flask import Flask, jsonify, request

from checkout.pricing_client import PricingClient

app = Flask(__name__)
pricing = PricingClient()


@app.post("/checkout/quote")
def create_quote():
    body = request.get_json(force=True)
    lines = [(line["sku"], int(line["qty"])) for line in body.get("lines", [])]
    try:
        quote = pricing.quote(lines, region=body.get("region", "eu"), coupon=body.get("coupon"))
    except grpc.RpcError as err:
        if err.code() == grpc.StatusCode.FAILED_PRECONDITION:
            return jsonify(error=err.details()), 422
        raise

    return jsonify(
        {
            "quoteId": quote.quote_id,
            "currency": quote.currency,
            "subtotal": str(quote.subtotal),
            "discount": str(quote.discount),
            "total": str(quote.total),
        }
    )


@app.get("/checkout/price/<sku>")
def unit_price(sku: str):
    region = request.args.get("region", "eu")
    return jsonify(sku=sku, price=str(pricing.unit_price(sku, region)))
