from __future__ import annotations

import os

import httpx

CUSTOMERS_URL = os.getenv("CUSTOMERS_URL", "http://customers.internal")
LOYALTY_URL = os.getenv("LOYALTY_URL", "http://loyalty.internal")

_http = httpx.Client(timeout=5.0, headers={"User-Agent": "support-portal"})


def _get_json(url: str, **params) -> dict | list:
    resp = _http.get(url, params=params or None)
    resp.raise_for_status()
    return resp.json()


def customer_card(customer_id: str) -> dict:
    customer = _get_json(f"{CUSTOMERS_URL}/api/customers/{customer_id}")
    balance = _get_json(f"{LOYALTY_URL}/api/loyalty/{customer_id}/balance")
    return {
        "customer_id": customer["id"],
        "display_name": customer["displayName"],
        "email": customer["email"],
        "phone": customer.get("phone") or "-",
        "member_since": customer["createdAt"][:10],
        "tier": balance["tier"],
        "points": balance["points"],
        "points_expire_on": balance.get("expires_on"),
    }


def find_by_email(email: str) -> list[dict]:
    return [
        {"id": c["id"], "display_name": c["displayName"], "tier": c.get("loyalty_tier") or "standard"}
        for c in _get_json(f"{CUSTOMERS_URL}/api/customers", email=email)
    ]
