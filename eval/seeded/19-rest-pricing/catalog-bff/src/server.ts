import express, { type Response } from "express";
import { PricingClient, type PriceQuote } from "./pricingClient.js";
import { findProduct } from "./products.js";

export interface ProductView {
  id: string;
  sku: string;
  title: string;
  imageUrl: string;
  priceLabel: string;
  onSale: boolean;
  wasLabel?: string;
}

const pricing = new PricingClient();
const app = express();

function money(minor: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(minor / 100);
}

function toView(id: string, title: string, imageUrl: string, quote: PriceQuote): ProductView {
  const onSale = quote.compareAtMinor !== undefined && quote.compareAtMinor > quote.amountMinor;
  return {
    id,
    sku: quote.sku,
    title,
    imageUrl,
    priceLabel: money(quote.amountMinor, quote.currency),
    onSale,
    wasLabel: onSale ? money(quote.compareAtMinor!, quote.currency) : undefined,
  };
}

app.get("/products/:id", async (req, res: Response<ProductView | { error: string }>) => {
  const product = findProduct(req.params.id);
  if (!product) {
    res.status(404).json({ error: "unknown product" });
    return;
  }
  const currency = req.query.currency === "GBP" ? "GBP" : "EUR";
  const quote = await pricing.quote(product.sku, currency);
  if (!quote) {
    res.status(404).json({ error: "no price" });
    return;
  }
  res.json(toView(product.id, product.title, product.imageUrl, quote));
});

app.listen(Number(process.env.PORT ?? 3000));
