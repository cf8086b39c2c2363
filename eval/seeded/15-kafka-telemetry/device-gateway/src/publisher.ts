import { CompressionTypes, Kafka, type Producer } from "kafkajs";
import { TOPICS, type DeviceStatus, type TelemetryReading } from "./events.js";

export function createKafka(): Kafka {
  return new Kafka({
    clientId: "device-gateway",
    brokers: (process.env.KAFKA_BROKERS ?? "kafka:9092").split(","),
  });
}

export class TelemetryPublisher {
  constructor(private readonly producer: Producer) {}

  async readings(batch: TelemetryReading[]): Promise<void> {
    await this.producer.send({
      topic: TOPICS.readings,
      compression: CompressionTypes.GZIP,
      messages: batch.map((r) => ({ key: r.deviceId, value: JSON.stringify(r) })),
    });
  }

  async status(status: DeviceStatus): Promise<void> {
    await this.producer.send({
      topic: TOPICS.status,
      messages: [{ key: status.deviceId, value: JSON.stringify(status) }],
    });
  }
}
