import { gql } from "@apollo/client";

export const PRODUCT_CARD = gql`
  fragment ProductCard on Product {
    id
    slug
    title
    priceCents
    currency
    averageRating
    isInStock
    thumbnail: images {
      url
      alt
    }
  }
`;
