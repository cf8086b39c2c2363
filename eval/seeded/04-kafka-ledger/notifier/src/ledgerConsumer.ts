import { Kafka, logLevel, type EachMessagePayload } from "kafkajs";
import type { AccountClosed, BalanceLow } from "./events.js";
import { sendMail } from "./mailer.js";

const kafka = new Kafka({
  clientId: "notifier",
  brokers: (process.env.KAFKA_BROKERS ?? "kafka-0:9092").split(","),
  logLevel: logLevel.WARN,
});

const ACCOUNT_CLOSED_TOPIC = process.env.ACCOUNT_CLOSED_TOPIC ?? "ledger.account-closed.v1";

async function onAccountClosed(evt: AccountClosed): Promise<void> {
  await sendMail(evt.account_id, "Your account has been closed", [
    `Closed on ${new Date(evt.closed_at).toDateString()} (${evt.reason}).`,
    `Final balance: ${(evt.final_balance_minor / 100).toFixed(2)}`,
  ]);
}

async function onBalanceLow(evt: BalanceLow): Promise<void> {
  await sendMail(evt.account_id, "Low balance", [
    `Your balance is ${(evt.balance_minor / 100).toFixed(2)}, below your alert of ${(evt.threshold_minor / 100).toFixed(2)}.`,
  ]);
}

export async function startLedgerConsumer(): Promise<void> {
  const consumer = kafka.consumer({ groupId: "notifier-ledger" });
  await consumer.connect();
  await consumer.subscribe({ topic: ACCOUNT_CLOSED_TOPIC });
  await consumer.subscribe({ topic: "ledger.balance-low.v1" });

  await consumer.run({
    eachMessage: async ({ topic, message }: EachMessagePayload) => {
      if (!message.value) return;
      const body = JSON.parse(message.value.toString());
      if (topic === ACCOUNT_CLOSED_TOPIC) {
        await onAccountClosed(body as AccountClosed);
      } else {
        await onBalanceLow(body as BalanceLow);
      }
    },
  });
}
