from __future__ import annotations

import os
from functools import lru_cache

from twilio.rest import Client


@lru_cache(maxsize=1)
def _client() -> Client:
    return Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])


def _phone_for(customer_id: str) -> str:
    # The customer directory lookup is elided; staging routes everything to the test handset.
    return os.getenv("SMS_OVERRIDE_NUMBER", "+447700900000")


def send_sms(customer_id: str, body: str) -> None:
    _client().messages.create(to=_phone_for(customer_id), from_=os.environ["TWILIO_FROM"], body=body)
