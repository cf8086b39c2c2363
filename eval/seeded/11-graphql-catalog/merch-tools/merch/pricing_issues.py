"""Pulls open pricing issues from GitHub so the weekly triage sheet is pre-filled."""

import os

from gql import Client, gql
from gql.transport.requests import RequestsHTTPTransport

github = Client(
    transport=RequestsHTTPTransport(
        url="https://api.github.com/graphql",
        headers={"Authorization": f"Bearer {os.environ.get('GITHUB_TOKEN', '')}"},
        timeout=30,
    ),
    fetch_schema_from_transport=False,
)

OPEN_PRICING_ISSUES = gql(
    """
    query OpenPricingIssues($owner: String!, $name: String!) {
      repository(owner: $owner, name: $name) {
        issues(first: 50, states: OPEN, labels: ["pricing"]) {
          nodes {
            number
            title
            url
            createdAt
          }
        }
      }
    }
    """
)


def open_pricing_issues(owner: str = "acme", name: str = "shop-web") -> list[dict]:
    result = github.execute(OPEN_PRICING_ISSUES, variable_values={"owner": owner, "name": name})
    return result["repository"]["issues"]["nodes"]
