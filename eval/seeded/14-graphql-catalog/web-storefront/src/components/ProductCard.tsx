import { Link } from "react-router-dom";

export interface ProductCardData {
  id: string;
  slug: string;
  title: string;
  priceCents: number;
  currency: string;
  averageRating: number | null;
  isInStock: boolean;
  thumbnail: { url: string; alt: string | null }[];
}

const money = (cents: number, currency: string) =>
  new Intl.NumberFormat(undefined, { style: "currency", currency }).format(cents / 100);

export function ProductCard({ product }: { product: ProductCardData }) {
  const [image] = product.thumbnail;
  return (
    <Link to={`/p/${product.slug}`} className="product-card">
      {image && <img src={image.url} alt={image.alt ?? product.title} loading="lazy" />}
      <h3>{product.title}</h3>
      <p className="price">{money(product.priceCents, product.currency)}</p>
      {product.averageRating != null && <p className="rating">★ {product.averageRating.toFixed(1)}</p>}
      {!product.isInStock && <p className="oos">Out of stock</p>}
    </Link>
  );
}
