import { connect } from "nats";
import { WebSocketServer } from "ws";
import { consumeAssignments, tickJobs, watchCancellations } from "./jobs.js";
import { register } from "./push.js";

const nc = await connect({
  servers: (process.env.NATS_URL ?? "nats://nats:4222").split(","),
  name: "courier-bff",
});

const wss = new WebSocketServer({ port: Number(process.env.WS_PORT ?? 8081) });
wss.on("connection", (ws, req) => {
  const driverId = new URL(req.url ?? "/", "http://localhost").searchParams.get("driver");
  if (driverId) register(driverId, ws);
});

await Promise.all([consumeAssignments(nc), watchCancellations(nc), tickJobs(nc)]);
