import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from "@aws-sdk/client-sqs";
import type { OrderCancelled, OrderDelivered } from "./messages.js";
import { applyPoints } from "./points.js";

const sqs = new SQSClient({ region: process.env.AWS_REGION ?? "eu-west-1" });

const QUEUES = {
  cancelled: process.env.ORDER_CANCELLED_QUEUE_URL ?? "https://sqs.eu-west-1.amazonaws.com/381492000117/order-cancelled",
  delivered: process.env.ORDER_DELIVERED_QUEUE_URL ?? "https://sqs.eu-west-1.amazonaws.com/381492000117/order-delivered",
};

const POINTS_PER_EURO = 1;

async function onCancelled(evt: OrderCancelled): Promise<void> {
  const refundCents = parseInt(evt.refund_amount_cents, 10);
  await applyPoints({
    customerId: evt.customer_id,
    orderId: evt.order_id,
    pointsDelta: -Math.floor(refundCents / 100) * POINTS_PER_EURO,
    reason: "order-cancelled",
  });
}

async function onDelivered(evt: OrderDelivered): Promise<void> {
  await applyPoints({
    customerId: evt.customer_id,
    orderId: evt.order_id,
    pointsDelta: Math.floor(evt.order_total_cents / 100) * POINTS_PER_EURO,
    reason: "order-delivered",
  });
}

async function poll<T>(queueUrl: string, handler: (evt: T) => Promise<void>): Promise<never> {
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20 }),
    );
    await Promise.all(
      Messages.map(async (m: Message) => {
        await handler(JSON.parse(m.Body ?? "{}") as T);
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
      }),
    );
  }
}

await Promise.all([
  poll<OrderCancelled>(QUEUES.cancelled, onCancelled),
  poll<OrderDelivered>(QUEUES.delivered, onDelivered),
]);
