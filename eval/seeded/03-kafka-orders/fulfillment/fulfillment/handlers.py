import logging

import requests

from fulfillment import settings

log = logging.getLogger(__name__)

_wms = requests.Session()


def handle_order_placed(event: dict) -> None:
    order_id = event["order_id"]
    customer = event["customerId"]
    address = event["shipping_address"]

    gift_wrap = event["coupon_code"].startswith("GIFT")

    pick_request = {
        "orderId": order_id,
        "customerRef": customer,
        "status": "picking",
        "giftWrap": gift_wrap,
        "lines": [{"sku": line["sku"], "qty": line["quantity"]} for line in event["lines"]],
        "shipTo": {
            "street": address["line1"],
            "city": address["city"],
            "zip": address["postal_code"],
            "country": address["country"],
        },
    }
    resp = _wms.post(f"{settings.WMS_URL}/pick-requests", json=pick_request, timeout=10)
    resp.raise_for_status()
    log.info("pick request created for %s", order_id)


def handle_order_cancelled(event: dict) -> None:
    resp = _wms.delete(f"{settings.WMS_URL}/pick-requests/{event['order_id']}", timeout=10)
    if resp.status_code not in (200, 204, 404):
        resp.raise_for_status()
    log.info("pick request cancelled for %s (%s)", event["order_id"], event["reason"])


def handle_parcel_scan(scan: dict) -> None:
    log.info("parcel %s: %s at %s", scan["piece_id"], scan["event_code"], scan["location"])
