import axios from "axios";

import queries from "../graphql/queries.graphql?raw";

// Storefront GraphQL endpoint served by acme/catalog (schema.graphqls).
export const CATALOG_GRAPHQL_URL = "http://catalog:8080/graphql";

export interface ProductSummary {
  id: string;
  name: string;
  priceCents: number;
}

interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string }[];
}

async function run<T>(operationName: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await axios.post<GraphQLResponse<T>>(CATALOG_GRAPHQL_URL, {
    query: queries,
    operationName,
    variables,
  });
  if (res.data.errors?.length || !res.data.data) {
    throw new Error(res.data.errors?.map((e) => e.message).join("; ") ?? "no data");
  }
  return res.data.data;
}

export async function fetchProduct(id: string): Promise<ProductSummary | null> {
  const data = await run<{ product: ProductSummary | null }>("StorefrontProduct", { id });
  return data.product;
}

export async function fetchProducts(): Promise<ProductSummary[]> {
  const data = await run<{ products: ProductSummary[] }>("StorefrontProducts");
  return data.products;
}
