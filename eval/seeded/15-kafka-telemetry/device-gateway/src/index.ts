import express from "express";
import type { TelemetryReading } from "./events.js";
import { createKafka, TelemetryPublisher } from "./publisher.js";

interface RawSample {
  seq: string;
  ts: number;
  t: number;
  h?: number;
  b: number;
}

interface RawUpload {
  fw: string;
  rssi?: number;
  samples: RawSample[];
}

const producer = createKafka().producer({ allowAutoTopicCreation: false });
await producer.connect();
const publisher = new TelemetryPublisher(producer);

const app = express();
app.use(express.json({ limit: "256kb" }));

app.post("/devices/:deviceId/samples", async (req, res) => {
  const deviceId = req.params.deviceId;
  const upload = req.body as RawUpload;

  const readings: TelemetryReading[] = upload.samples.map((s) => ({
    deviceId,
    seq: s.seq,
    recordedAt: new Date(s.ts * 1000).toISOString(),
    temperatureC: s.t,
    humidityPct: s.h,
    batteryMv: s.b,
    firmware: upload.fw,
  }));

  await publisher.readings(readings);
  await publisher.status({ deviceId, online: true, lastSeenAt: new Date().toISOString(), rssiDbm: upload.rssi });
  res.status(202).end();
});

app.listen(Number(process.env.PORT ?? 8080));
