import { Kafka } from "kafkajs";
import type { ConsentRevoked } from "./events.js";
import { sendMail } from "./mailer.js";

// Open-banking aggregator's cluster (not ours): SASL over TLS, credentials from the vault sidecar.
const partner = new Kafka({
  clientId: "northbank-notifier",
  brokers: (process.env.OPENBANK_BROKERS ?? "stream.openbank-aggregator.eu:9094").split(","),
  ssl: true,
  sasl: {
    mechanism: "scram-sha-512",
    username: process.env.OPENBANK_KAFKA_USER ?? "",
    password: process.env.OPENBANK_KAFKA_PASSWORD ?? "",
  },
});

export async function startPartnerFeed(): Promise<void> {
  const consumer = partner.consumer({ groupId: "northbank.notifier" });
  await consumer.connect();
  await consumer.subscribe({ topic: "aggregator.consents.revoked" });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const evt = JSON.parse(message.value!.toString()) as ConsentRevoked;
      await sendMail(
        String(message.key),
        "A bank connection was removed",
        [`Access to ${evt.institution} was revoked on ${new Date(evt.revokedAt).toDateString()}.`],
      );
    },
  });
}
