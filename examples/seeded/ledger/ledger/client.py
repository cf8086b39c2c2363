"""Ledger's client for the invoicing API (contract: invoicing/openapi/invoicing.yaml)."""

import os

import httpx

INVOICING_URL = "http://invoicing:8080"


class InvoicingClient:
    def __init__(self) -> None:
        self._http = httpx.Client(timeout=5.0)

    def fetch_invoice(self, invoice_id: str) -> dict:
        resp = self._http.get(f"{INVOICING_URL}/v1/invoices/{invoice_id}")
        data = resp.json()
        return {
            "id": data["invoice_id"],
            "customer": data["customer_id"],
            "amount": data["amount_cents"],
            "currency": data["currency"],
            "due": data["dueDate"],  # expect: field-casing-drift (producer: due_date)
            "discount": data["discount_code"],  # expect: consumer-field-missing
            "created": data["created_at"],
        }

    def void_invoice(self, invoice_id: str) -> None:
        # expect: unknown-operation (invoicing serves no POST .../void)
        self._http.post(f"{INVOICING_URL}/v1/invoices/{invoice_id}/void")


def euro_rate() -> float:
    # decoy: an external API; its fields are not checked and its path is not ours
    resp = httpx.get("https://api.exchangerate.example.com/v1/latest")
    rates = resp.json()
    return rates["rates"]["EUR"]


def ledger_entry(entry: dict) -> str:
    # decoy: a local dict with its own createdAt, unrelated to any payload
    return entry["createdAt"] + ":" + entry["memo"]
