"""Read-only access to the Shopify storefront of our marketplace partner (outlet items)."""
from __future__ import annotations

import os

import httpx

SHOP_DOMAIN = os.getenv("OUTLET_SHOP_DOMAIN", "lumen-outlet.myshopify.com")
API_VERSION = "2024-04"

OUTLET_QUERY = """
query Outlet($first: Int!) {
  shop {
    name
  }
  products(first: $first, sortKey: BEST_SELLING) {
    edges {
      node {
        handle
        title
        priceRange { minVariantPrice { amount currencyCode } }
      }
    }
  }
}
"""


async def outlet_products(first: int = 10) -> list[dict]:
    async with httpx.AsyncClient(timeout=5.0) as http:
        resp = await http.post(
            f"https://{SHOP_DOMAIN}/api/{API_VERSION}/graphql.json",
            json={"query": OUTLET_QUERY, "variables": {"first": first}},
            headers={"X-Shopify-Storefront-Access-Token": os.environ["OUTLET_STOREFRONT_TOKEN"]},
        )
    resp.raise_for_status()
    return [edge["node"] for edge in resp.json()["data"]["products"]["edges"]]
