import os

import requests

STRIPE_API = "https://api.stripe.com/v1"


def stripe_outstanding(stripe_invoice_id: str) -> int:
    """Amount Stripe still expects to collect for a card invoice, in minor units."""
    resp = requests.get(
        f"{STRIPE_API}/invoices/{stripe_invoice_id}",
        auth=(os.environ["STRIPE_SECRET_KEY"], ""),
        timeout=10,
    )
    resp.raise_for_status()
    data = resp.json()
    return data["amount_remaining"]
