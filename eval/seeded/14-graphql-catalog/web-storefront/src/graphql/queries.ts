import { gql } from "@apollo/client";
import { PRODUCT_CARD } from "./fragments";

export const CATEGORY_PAGE = gql`
  query CategoryPage($slug: String!, $after: String) {
    category(slug: $slug) {
      slug
      name
    }
    products(first: 24, after: $after, categorySlug: $slug) {
      edges {
        cursor
        node {
          __typename
          ...ProductCard
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${PRODUCT_CARD}
`;

export const SEARCH_PRODUCTS = gql`
  query SearchProducts($q: String!) {
    searchProducts(query: $q, first: 20) {
      ...ProductCard
    }
  }
  ${PRODUCT_CARD}
`;
