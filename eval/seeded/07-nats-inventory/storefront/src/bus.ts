import { connect, JSONCodec, type NatsConnection } from "nats";

let connection: Promise<NatsConnection> | undefined;

export const json = JSONCodec();

export function natsConnection(): Promise<NatsConnection> {
  connection ??= connect({
    servers: process.env.NATS_URL ?? "nats://nats:4222",
    name: "storefront",
    maxReconnectAttempts: -1,
  });
  return connection;
}
