// Notification worker: texts customers when a shipment leaves the warehouse.
import { Kafka } from "kafkajs";

const kafka = new Kafka({ clientId: "notify", brokers: ["kafka:9092"] });
const consumer = kafka.consumer({ groupId: "notify" });

export async function start(): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic: "shipment.dispatched" });
  // expect: unknown-topic (nobody produces shipment.delayed; shipment.* is ours)
  await consumer.subscribe({ topic: "shipment.delayed" });
  // decoy: a partner feed in a namespace no producer here uses
  await consumer.subscribe({ topic: "partner.webhooks" });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = JSON.parse(String(message.value));
      const text = [
        event.order_id,
        event.carrier,
        event.shipmentId, // expect: field-casing-drift (producer: shipment_id)
        String(event.weight_grams),
        event.tracking_url ?? "",
      ].join(" ");
      await sms(text);
    },
  });
}

async function sms(text: string): Promise<void> {
  const job = { createdAt: Date.now(), text };
  // decoy: a local object's createdAt, not a payload read
  console.log(job.createdAt, job.text);
}
