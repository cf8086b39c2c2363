//! Payload shapes that live only in code (no spec), checked end to end: files written here are
//! ingested through the real pipeline and `brain check` is asked what a reviewer would say.
mod common;

use brain_check::{check, to_text, CheckOptions, CheckReport, Rule};

fn report(files: &[(&str, &str)]) -> CheckReport {
    let g = common::ingest_files(files);
    let r = check(&g, &CheckOptions::default());
    println!("{}", to_text(&r));
    r
}

/// `(rule, consumer location)` of every finding.
fn found(r: &CheckReport) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = r
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.consumer.as_ref().map(|c| c.location()).unwrap_or_default()))
        .collect();
    v.sort();
    v
}

const PRODUCER_TS: &str = r#"import { Kafka, CompressionTypes, type Producer } from "kafkajs";

export interface Sample {
  meterId: string;
  counter: string;
  wattHours: number;
  voltage?: number;
}

export interface Outage {
  meterId: string;
  since: string;
}

export class MeterPublisher {
  constructor(private readonly producer: Producer) {}

  async samples(batch: Sample[]): Promise<void> {
    await this.producer.send({
      topic: "meter.samples.v2",
      compression: CompressionTypes.GZIP,
      messages: batch.map((s) => ({ key: s.meterId, value: JSON.stringify(s) })),
    });
  }

  async outage(o: Outage): Promise<void> {
    await this.producer.send({ topic: "meter.outages.v1", messages: [{ key: o.meterId, value: JSON.stringify(o) }] });
  }
}
"#;

/// A Rust consumer of two topics that decodes each in its own match arm: each type is checked
/// against its own topic's payload only. `counter` travels as a string (drift), `wattHours` is a
/// TypeScript `number` (an integer fits), `voltage` may be left out (required here: drift), and the
/// constant naming a topic nobody produces is where that finding points.
const CONSUMER_RS: &str = r#"use serde::Deserialize;

const SAMPLES: &str = "meter.samples.v2";
const OUTAGES: &str = "meter.outages.v1";
const TAMPER: &str = "meter.tamper.v1";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub meter_id: String,
    pub counter: u64,
    pub watt_hours: u32,
    pub voltage: f64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outage {
    pub meter_id: String,
    pub since: String,
}

pub fn run(consumer: rdkafka::consumer::StreamConsumer) -> anyhow::Result<()> {
    consumer.subscribe(&[SAMPLES, OUTAGES, TAMPER])?;
    loop {
        let msg = consumer.poll()?;
        let payload = msg.payload().unwrap_or_default();
        match msg.topic() {
            SAMPLES => {
                let s = serde_json::from_slice::<Sample>(payload)?;
                println!("{} {} {} {}", s.meter_id, s.counter, s.watt_hours, s.voltage);
            }
            OUTAGES => {
                let o = serde_json::from_slice::<Outage>(payload)?;
                println!("{} {}", o.meter_id, o.since);
            }
            _ => {}
        }
    }
}
"#;

/// A C# consumer that switches on the topic: `Outage.MeterId` is pinned to a snake_case name the
/// producer does not send; `Since` follows the web (camelCase) policy and matches.
const CONSUMER_CS: &str = r#"using System.Text.Json;
using System.Text.Json.Serialization;
using Confluent.Kafka;

public sealed record Outage([property: JsonPropertyName("meter_id")] string MeterId, string Since);
public sealed record Sample(string MeterId, string Counter);

public sealed class Billing
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Run(IConsumer<string, string> consumer)
    {
        consumer.Subscribe(new[] { "meter.samples.v2", "meter.outages.v1" });
        while (true)
        {
            var result = consumer.Consume();
            switch (result.Topic)
            {
                case "meter.outages.v1":
                    var o = JsonSerializer.Deserialize<Outage>(result.Message.Value, Json)!;
                    Console.WriteLine($"{o.MeterId} {o.Since}");
                    break;
                case "meter.samples.v2":
                    var s = JsonSerializer.Deserialize<Sample>(result.Message.Value, Json)!;
                    Console.WriteLine($"{s.MeterId} {s.Counter}");
                    break;
            }
        }
    }
}
"#;

#[test]
fn consumers_that_dispatch_on_the_topic_are_checked_per_topic() {
    let r = report(&[
        ("gateway/src/publisher.ts", PRODUCER_TS),
        ("alerts/src/main.rs", CONSUMER_RS),
        ("billing/src/Billing.cs", CONSUMER_CS),
    ]);
    let want = [
        (Rule::FieldCasingDrift, "acme/app:billing/src/Billing.cs:5"),
        (Rule::OptionalityDrift, "acme/app:alerts/src/main.rs:13"),
        (Rule::TypeDrift, "acme/app:alerts/src/main.rs:11"),
        (Rule::UnknownTopic, "acme/app:alerts/src/main.rs:5"),
    ];
    let mut want: Vec<(String, String)> = want.iter().map(|(r, l)| (r.id().to_string(), l.to_string())).collect();
    want.sort();
    assert_eq!(found(&r), want);
    let unknown = r.findings.iter().find(|f| f.rule == Rule::UnknownTopic.id()).expect("unknown topic");
    let consumer = unknown.consumer.as_ref().expect("consumer");
    assert!(consumer.detail.contains("the call on line 24"), "{}", consumer.detail);
}

/// A NATS request made on a connection held in an attribute (`self._nc`) of a file that imports
/// the client with `from nats...` is a publish: the responder's subject is not unknown. An event
/// bus wrapper called with a cancellation token publishes no topic named after the token's type.
#[test]
fn requests_on_a_held_connection_answer_their_responder() {
    let requester = r#"import json
from nats.aio.client import Client as NATS

QUOTE_SUBJECT = "pricing.quote.get"


class Quoter:
    def __init__(self, nc: NATS):
        self._nc = nc

    async def quote(self, sku: str) -> dict:
        reply = await self._nc.request(QUOTE_SUBJECT, json.dumps({"sku": sku}).encode(), timeout=1.0)
        return json.loads(reply.data)
"#;
    let responder = r#"using NATS.Client.Core;

public sealed class PricingBus(INatsConnection nats) : BackgroundService
{
    public const string QuoteSubject = "pricing.quote.get";
    public const string PricedSubject = "pricing.priced";

    public ValueTask PublishAsync(Priced p, CancellationToken ct) =>
        nats.PublishAsync(PricedSubject, JsonSerializer.SerializeToUtf8Bytes(p), cancellationToken: ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var msg in nats.SubscribeAsync<byte[]>(QuoteSubject, cancellationToken: stoppingToken))
        {
            await msg.ReplyAsync(new byte[0]);
        }
    }
}
"#;
    let program = r#"using NATS.Client.Core;

var app = builder.Build();
app.MapPost("/prices", async (PriceCommand cmd, PricingBus bus, CancellationToken ct) =>
{
    var priced = cmd.Price();
    await bus.PublishAsync(priced, ct);
    return Results.Ok();
});
app.Run();
"#;
    let g = common::ingest_files(&[
        ("quoter/quoter/client.py", requester),
        ("pricing/src/PricingBus.cs", responder),
        ("pricing/src/Program.cs", program),
    ]);
    let topics: Vec<String> = g.nodes_of_kind(brain_model::NodeKind::Topic).map(|t| t.name.to_string()).collect();
    assert!(!topics.iter().any(|t| t == "CancellationToken"), "{topics:?}");
    let r = check(&g, &CheckOptions::default());
    println!("{}", to_text(&r));
    assert!(!r.findings.iter().any(|f| f.rule == Rule::UnknownTopic.id()), "{}", to_text(&r));
}

/// A subscription whose handler lives in another module (`cb=on_low` imported from
/// `app.handlers`): the handler's `msg.data` is the payload, so its subscripts are reads of the
/// producer's fields (and a key the producer may leave out is an optionality drift).
#[test]
fn handlers_imported_from_another_module_read_the_payload() {
    let producer = r#"package bus

type StockLow struct {
	SKU        string `json:"sku"`
	OnHand     int    `json:"on_hand"`
	SupplierID string `json:"supplier_id,omitempty"`
}

func (p *Publisher) Low(ev StockLow) error {
	data, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return p.nc.Publish("stock.low", data)
}
"#;
    let main = r#"import nats

from app.handlers import on_low


async def run() -> None:
    nc = await nats.connect("nats://nats:4222")
    await nc.subscribe("stock.low", queue="bot", cb=on_low)
"#;
    let handlers = r#"import json

from nats.aio.msg import Msg


async def on_low(msg: Msg) -> None:
    data = json.loads(msg.data)
    print(data["sku"], data["on_hand"])
    print(data["supplier_id"])
"#;
    let g = common::ingest_files(&[
        ("inventory/bus/publisher.go", producer),
        ("bot/app/main.py", main),
        ("bot/app/handlers.py", handlers),
    ]);
    let r = check(&g, &CheckOptions::default());
    println!("{}", to_text(&r));
    assert_eq!(
        found(&r),
        vec![(Rule::OptionalityDrift.id().to_string(), "acme/app:bot/app/handlers.py:9".to_string())]
    );
}

/// A key the contract requires is always present, even when its value may be null: subscripting
/// it raises no KeyError (no optionality drift), while an optional key still does.
#[test]
fn required_nullable_keys_are_always_present() {
    let spec = r##"openapi: 3.0.3
info: { title: invoices, version: "1" }
paths:
  /invoices/{id}:
    get:
      operationId: getInvoice
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Invoice" }
components:
  schemas:
    Invoice:
      type: object
      required: [id, paid_at]
      properties:
        id: { type: string }
        paid_at: { type: string, format: date-time, nullable: true }
        memo: { type: string }
"##;
    let client = r#"import requests

INVOICES = "http://invoices:8080"


def paid(invoice_id: str) -> bool:
    inv = requests.get(f"{INVOICES}/invoices/{invoice_id}", timeout=5).json()
    if not inv["paid_at"]:
        return False
    return inv["memo"] != "void"
"#;
    let r = report(&[("invoices/api/openapi.yaml", spec), ("reports/reports/paid.py", client)]);
    assert_eq!(
        found(&r),
        vec![(Rule::OptionalityDrift.id().to_string(), "acme/app:reports/reports/paid.py:10".to_string())]
    );
}

/// A consumer loop that hands each message to a function of another module
/// (`for msg in consumer: handle_order(msg)`): the function's `msg.value` is the payload.
#[test]
fn messages_handed_to_another_module_read_the_payload() {
    let producer = r#"package events

type OrderPlaced struct {
	OrderID    string `json:"order_id"`
	CustomerID string `json:"customer_id"`
}

func (p *Publisher) Placed(ctx context.Context, e OrderPlaced) error {
	value, _ := json.Marshal(e)
	return p.writer.WriteMessages(ctx, kafka.Message{Topic: "orders.placed", Value: value})
}
"#;
    let consumer = r#"from kafka import KafkaConsumer

from shipping.handlers import handle_order


def main() -> None:
    consumer = KafkaConsumer("orders.placed", bootstrap_servers="kafka:9092")
    for msg in consumer:
        handle_order(msg)
"#;
    let handlers = r#"import json


def handle_order(msg) -> None:
    event = json.loads(msg.value)
    print(event["order_id"])
    print(event["customerId"])
"#;
    // Two repositories: a producer's own code type read in its own repository is not a contract.
    let work = tempfile::tempdir().expect("tempdir");
    for (path, content) in [
        ("orders/internal/events/publisher.go", producer),
        ("shipping/shipping/consumer.py", consumer),
        ("shipping/shipping/handlers.py", handlers),
    ] {
        let p = work.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    let config = work.path().join("brain.toml");
    std::fs::write(
        &config,
        "[[repos]]\nname = \"orders\"\npath = \"orders\"\n\n[[repos]]\nname = \"shipping\"\npath = \"shipping\"\n",
    )
    .expect("config");
    let g = common::ingest_config(&config);
    let r = check(&g, &CheckOptions::default());
    println!("{}", to_text(&r));
    assert_eq!(
        found(&r),
        vec![(Rule::FieldCasingDrift.id().to_string(), "shipping:shipping/handlers.py:7".to_string())]
    );
}
