import os

import grpc
from acme.payments.v1 import payments_pb2, payments_pb2_grpc

PAYMENTS_TARGET = os.environ.get("PAYMENTS_GRPC_TARGET", "payments:50051")


class PaymentsClient:
    def __init__(self, target: str = PAYMENTS_TARGET, timeout: float = 5.0):
        self._channel = grpc.insecure_channel(target)
        self._stub = payments_pb2_grpc.PaymentServiceStub(self._channel)
        self._timeout = timeout

    def get_payment(self, payment_id: str) -> payments_pb2.Payment:
        request = payments_pb2.GetPaymentRequest(payment_id=payment_id)
        return self._stub.GetPayment(request, timeout=self._timeout)

    def refund(
        self, payment_id: str, amount_minor: int, currency: str, reason: str, idempotency_key: str
    ) -> payments_pb2.RefundPaymentResponse:
        request = payments_pb2.RefundPaymentRequest(
            payment_id=payment_id,
            amount=payments_pb2.Money(currency_code=currency, amount_minor=amount_minor),
            reason=reason,
            idempotency_key=idempotency_key,
        )
        return self._stub.RefundPayment(request, timeout=self._timeout)

    def void(self, payment_id: str, reason: str):
        request = payments_pb2.VoidPaymentRequest(payment_id=payment_id, reason=reason)
        return self._stub.VoidPayment(request, timeout=self._timeout)

    def close(self) -> None:
        self._channel.close()
