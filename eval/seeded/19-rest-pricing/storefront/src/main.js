import { loadProduct, renderProduct, trackProductView } from "./product-page.js";

const root = document.querySelector("#product");
const id = new URLSearchParams(location.search).get("id");

loadProduct(id).then((product) => {
  renderProduct(root, product);
  trackProductView(product);
});
