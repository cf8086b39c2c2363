"""Customer look-ups through the users service (gRPC ``acme.users.v1.UserService``)."""

from __future__ import annotations

import os

import grpc
from acme.users.v1 import users_pb2, users_pb2_grpc

USERS_ADDR = os.environ.get("USERS_ADDR", "users:9090")


class CustomerDirectory:
    def __init__(self, addr: str = USERS_ADDR, timeout: float = 2.0) -> None:
        self._channel = grpc.insecure_channel(addr)
        self._stub = users_pb2_grpc.UserServiceStub(self._channel)
        self._timeout = timeout

    def email_for(self, customer_id: str) -> str | None:
        """The customer's e-mail address, or None if users does not know them."""
        request = users_pb2.GetUserRequest(user_id=customer_id)
        try:
            user = self._stub.GetUser(request, timeout=self._timeout)
        except grpc.RpcError as err:
            if err.code() == grpc.StatusCode.NOT_FOUND:
                return None
            raise
        return user.email

    def close(self) -> None:
        self._channel.close()
