import { gql } from "@apollo/client";

export const PRODUCT_DETAIL = gql`
  query ProductDetail($id: ID!) {
    product(id: $id) {
      id
      sku
      title
      description
      inStock
      price {
        amount
        currency_code
      }
      images {
        url
        altText
        width
        height
      }
      category {
        slug
        name
      }
    }
  }
`;

export const PRODUCT_BY_SKU = gql`
  query ProductBySku($sku: String!) {
    productBySku(sku: $sku) {
      id
      title
    }
  }
`;
