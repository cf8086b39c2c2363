import json
import logging
import os

import httpx
from nats.aio.msg import Msg

log = logging.getLogger(__name__)

SUPPLIER_API = os.environ.get("SUPPLIER_API", "https://edi.supplierhub.example.com/v1")

_suppliers = httpx.AsyncClient(base_url=SUPPLIER_API, timeout=10.0)


async def on_stock_low(msg: Msg) -> None:
    data = json.loads(msg.data)
    shortfall = data["reorder_point"] * 2 - data["on_hand"]
    supplier = data["supplier_id"]

    log.info("raising PO for %s with %s", data["sku"], supplier)
    purchase_order = {
        "supplierId": supplier,
        "itemSku": data["sku"],
        "quantity": max(shortfall, 1),
        "shipToWarehouse": data["warehouse_id"],
    }
    resp = await _suppliers.post("/purchase-orders", json=purchase_order)
    resp.raise_for_status()


async def on_stock_depleted(msg: Msg) -> None:
    data = json.loads(msg.data)
    log.warning("%s is out of stock in %s, expediting", data["sku"], data["warehouse_id"])
    resp = await _suppliers.post(
        "/purchase-orders/expedite", json={"itemSku": data["sku"], "warehouse": data["warehouse_id"]}
    )
    resp.raise_for_status()
