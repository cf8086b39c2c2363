"""Thin wrapper around the pricing gRPC service."""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

import grpc

from acme.pricing.v1 import pricing_pb2, pricing_pb2_grpc

PRICING_TARGET = os.environ.get("PRICING_GRPC_TARGET", "pricing.internal:50051")


@dataclass(frozen=True)
class Quote:
    quote_id: str
    currency: str
    subtotal: Decimal
    discount: Decimal
    total: Decimal


def _to_decimal(money: pricing_pb2.Money) -> Decimal:
    return Decimal(money.units) + Decimal(money.nanos) / Decimal(1_000_000_000)


class PricingClient:
    def __init__(self, channel: grpc.Channel | None = None, timeout: float = 2.0):
        self._channel = channel or grpc.insecure_channel(PRICING_TARGET)
        self._stub = pricing_pb2_grpc.PricingServiceStub(self._channel)
        self._timeout = timeout

    def quote(self, lines: Iterable[tuple[str, int]], region: str, coupon: str | None = None) -> Quote:
        request = pricing_pb2.QuoteBasketRequest(region=region, coupon_code=coupon or "")
        for sku, quantity in lines:
            request.lines.add(sku=sku, quantity=quantity)

        resp = self._stub.QuoteBasket(request, timeout=self._timeout)
        return Quote(
            quote_id=resp.quote_id,
            currency=resp.total.currency_code,
            subtotal=_to_decimal(resp.subtotal),
            discount=_to_decimal(resp.discount_total),
            total=_to_decimal(resp.total),
        )

    def unit_price(self, sku: str, region: str) -> Decimal:
        resp = self._stub.GetPrice(pricing_pb2.GetPriceRequest(sku=sku, region=region), timeout=self._timeout)
        if resp.HasField("sale_price"):
            return _to_decimal(resp.sale_price)
        return _to_decimal(resp.list_price)

    def close(self) -> None:
        self._channel.close()
