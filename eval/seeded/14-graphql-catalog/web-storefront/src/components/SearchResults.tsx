import { useQuery } from "@apollo/client";
import { SEARCH_PRODUCTS } from "../graphql/queries";
import { ProductCard, type ProductCardData } from "./ProductCard";

export function SearchResults({ q }: { q: string }) {
  const { data, loading, error } = useQuery<{ searchProducts: ProductCardData[] }>(SEARCH_PRODUCTS, {
    variables: { q },
    skip: q.trim().length < 2,
  });
  if (loading) return <p>Searching…</p>;
  if (error) return <p role="alert">Search is unavailable right now.</p>;
  return (
    <div className="grid">
      {data?.searchProducts.map((p) => <ProductCard key={p.id} product={p} />)}
    </div>
  );
}
