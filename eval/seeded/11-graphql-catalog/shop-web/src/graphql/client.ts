import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";

export const catalogClient = new ApolloClient({
  link: new HttpLink({
    uri: process.env.CATALOG_GRAPHQL_URL ?? "http://catalog-graph:8080/graphql",
  }),
  cache: new InMemoryCache(),
  ssrMode: typeof window === "undefined",
});
