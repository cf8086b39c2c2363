import csv
import os
import sys

from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

CATALOG_GRAPHQL_URL = os.environ.get("CATALOG_GRAPHQL_URL", "http://catalog-graph:8080/graphql")

catalog = Client(
    transport=RequestsHTTPTransport(url=CATALOG_GRAPHQL_URL, timeout=30, retries=2),
    fetch_schema_from_transport=False,
)

LIST_PRODUCTS = gql(
    """
    query ListProducts($after: String, $category: String) {
      products(first: 100, after: $after, categorySlug: $category) {
        edges {
          node {
            id
            sku
            title
            stockLevel
            price {
              amount
              currencyCode
            }
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
    """
)

UPDATE_PRICE = gql(
    """
    mutation UpdatePrice($productId: ID!, $price: MoneyInput!) {
      updatePrice(productId: $productId, price: $price) {
        id
        price {
          amount
          currencyCode
        }
      }
    }
    """
)


def iter_products(category: str | None = None):
    after = None
    while True:
        result = catalog.execute(LIST_PRODUCTS, variable_values={"after": after, "category": category})
        page = result["products"]
        for edge in page["edges"]:
            yield edge["node"]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def reprice(product_id: str, amount: str, currency: str) -> dict:
    variables = {"productId": product_id, "price": {"amount": amount, "currencyCode": currency}}
    return catalog.execute(UPDATE_PRICE, variable_values=variables)["updatePrice"]


def export_prices() -> None:
    category = sys.argv[1] if len(sys.argv) > 1 else None
    out = csv.writer(sys.stdout)
    out.writerow(["sku", "title", "stock", "amount", "currency"])
    for node in iter_products(category):
        price = node["price"]
        out.writerow([node["sku"], node["title"], node["stockLevel"], price["amount"], price["currencyCode"]])
