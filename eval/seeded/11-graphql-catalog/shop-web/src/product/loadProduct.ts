import { catalogClient } from "../graphql/client";
import { PRODUCT_BY_SKU, PRODUCT_DETAIL } from "../graphql/queries";

export interface ProductDetail {
  id: string;
  sku: string;
  title: string;
  description: string | null;
  inStock: boolean;
  price: { amount: string; currency_code: string };
  images: { url: string; altText: string | null; width: number | null; height: number | null }[];
  category: { slug: string; name: string } | null;
}

export async function loadProduct(id: string): Promise<ProductDetail | null> {
  const { data } = await catalogClient.query<{ product: ProductDetail | null }>({
    query: PRODUCT_DETAIL,
    variables: { id },
  });
  return data.product;
}

export async function resolveSku(sku: string): Promise<string | null> {
  const { data } = await catalogClient.query<{ productBySku: { id: string } | null }>({
    query: PRODUCT_BY_SKU,
    variables: { sku },
  });
  return data.productBySku?.id ?? null;
}

export function formatPrice(detail: ProductDetail, locale = "en-GB"): string {
  const { amount, currency_code } = detail.price;
  return new Intl.NumberFormat(locale, { style: "currency", currency: currency_code }).format(Number(amount));
}
