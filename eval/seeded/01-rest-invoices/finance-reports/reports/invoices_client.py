import os
from collections.abc import Iterator
from typing import Any

import requests

INVOICES_URL = os.environ.get("INVOICES_URL", "http://invoices.internal:8080")


class InvoicesClient:
    """Thin pager over the internal invoices service."""

    def __init__(self, base_url: str = INVOICES_URL, session: requests.Session | None = None):
        self._base = base_url.rstrip("/")
        self._session = session or requests.Session()

    def iter_invoices(self, status: str = "paid") -> Iterator[dict[str, Any]]:
        cursor = None
        while True:
            params = {"status": status}
            if cursor:
                params["cursor"] = cursor
            resp = self._session.get(f"{self._base}/invoices", params=params, timeout=10)
            resp.raise_for_status()
            page = resp.json()
            yield from page["items"]
            cursor = page.get("next_cursor")
            if not cursor:
                return
