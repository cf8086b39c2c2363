import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { OrderList } from "./components/OrderList";

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <OrderList />
  </StrictMode>,
);
