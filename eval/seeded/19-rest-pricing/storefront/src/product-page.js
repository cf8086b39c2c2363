const BFF_URL = import.meta.env.VITE_BFF_URL ?? "http://catalog-bff:3000";

export async function loadProduct(id, currency = "EUR") {
  const res = await fetch(`${BFF_URL}/products/${encodeURIComponent(id)}?currency=${currency}`);
  if (!res.ok) {
    throw new Error(`product ${id}: HTTP ${res.status}`);
  }
  return res.json();
}

export function renderProduct(root, product) {
  root.querySelector("[data-title]").textContent = product.title;
  root.querySelector("[data-price]").textContent = product.priceLabel;
  root.querySelector("img").src = product.imageUrl;

  const was = root.querySelector("[data-was]");
  was.hidden = !product.onSale;
  if (product.wasLabel) {
    was.textContent = product.wasLabel;
  }
}

export function trackProductView(product) {
  const event = {
    event_name: "product_viewed",
    product_id: product.id,
    created_at: new Date().toISOString(),
  };
  navigator.sendBeacon("https://collect.acme-analytics.example/v1/events", JSON.stringify(event));
}
