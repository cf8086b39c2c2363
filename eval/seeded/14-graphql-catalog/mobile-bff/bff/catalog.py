from __future__ import annotations

import os

from gql import Client, gql
from gql.transport.aiohttp import AIOHTTPTransport

CATALOG_GRAPH_URL = os.getenv("CATALOG_GRAPH_URL", "http://catalog-graph.internal:4000/graphql")

PRODUCT_DETAIL = gql(
    """
    query ProductDetail($id: ID!) {
      product(id: $id) {
        id
        title
        description
        priceCents
        currency
        reviewCount
        reviews(first: 3) {
          rating
          title
          authorName
          created_at
        }
      }
    }
    """
)

ADD_REVIEW = gql(
    """
    mutation AddReview($input: AddReviewInput!) {
      addReview(input: $input) {
        id
        createdAt
      }
    }
    """
)


def _client() -> Client:
    return Client(transport=AIOHTTPTransport(url=CATALOG_GRAPH_URL), fetch_schema_from_transport=False)


async def product_detail(product_id: str) -> dict | None:
    async with _client() as session:
        result = await session.execute(PRODUCT_DETAIL, variable_values={"id": product_id})
    product = result["product"]
    if product is None:
        return None
    return {
        "id": product["id"],
        "title": product["title"],
        "price": product["priceCents"] / 100,
        "currency": product["currency"],
        "reviews": [
            {"rating": r["rating"], "title": r["title"], "author": r["authorName"], "date": r["created_at"]}
            for r in product["reviews"]
        ],
    }


async def add_review(product_id: str, rating: int, author: str, body: str | None) -> str:
    async with _client() as session:
        result = await session.execute(
            ADD_REVIEW,
            variable_values={"input": {"productId": product_id, "rating": rating, "authorName": author, "body": body}},
        )
    return result["addReview"]["id"]
