import Fastify from "fastify";
import { buildHome } from "./pages/home.js";

const app = Fastify({ logger: true });

app.get<{ Params: { userId: string } }>("/home/:userId", async (req) => buildHome(req.params.userId));

await app.listen({ port: Number(process.env.PORT ?? 3000), host: "0.0.0.0" });
