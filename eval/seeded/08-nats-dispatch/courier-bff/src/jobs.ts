import { AckPolicy, JSONCodec, type NatsConnection } from "nats";
import type { JobAssigned, JobCancelled } from "./types.js";
import { broadcast, pushToDriver } from "./push.js";

const jc = JSONCodec();
const DURABLE = "courier-bff-assigned";

export async function consumeAssignments(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add("DISPATCH", {
    durable_name: DURABLE,
    ack_policy: AckPolicy.Explicit,
    filter_subject: "dispatch.job.assigned",
  });

  const consumer = await nc.jetstream().consumers.get("DISPATCH", DURABLE);
  const messages = await consumer.consume({ max_messages: 64 });
  for await (const m of messages) {
    const evt = jc.decode(m.data) as JobAssigned;
    const [vehicle] = evt.vehicle;
    pushToDriver(evt.driver_id, {
      type: "job.assigned",
      jobId: evt.job_id,
      plate: vehicle?.plate,
      at: evt.assigned_at,
    });
    m.ack();
  }
}

export async function watchCancellations(nc: NatsConnection): Promise<void> {
  const sub = nc.subscribe("dispatch.job.cancelled", { queue: "courier-bff" });
  for await (const m of sub) {
    const evt = jc.decode(m.data) as JobCancelled;
    pushToDriver(evt.driver_id, { type: "job.cancelled", jobId: evt.job_id, reason: evt.reason });
  }
}

/** Live ops ticker: every job lifecycle event, no durability needed. */
export async function tickJobs(nc: NatsConnection): Promise<void> {
  const sub = nc.subscribe("dispatch.job.*");
  for await (const m of sub) {
    broadcast({ type: "ticker", subject: m.subject, size: m.data.length });
  }
}
