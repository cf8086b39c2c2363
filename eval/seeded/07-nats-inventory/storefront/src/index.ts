import { countInventoryEvents } from "./metrics.js";
import { watchStock } from "./stock.js";

await Promise.all([watchStock(), countInventoryEvents()]);
