using System.Text.Json;
using Confluent.Kafka;

namespace Acme.BillingMeter;

public sealed class MeterWorker(IConfiguration config, UsageLedger ledger, ILogger<MeterWorker> log) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken ct)
    {
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = config["KAFKA_BROKERS"] ?? "kafka:9092",
            GroupId = "billing-meter",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };

        using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
        consumer.Subscribe(new[] { "telemetry.readings.v1", "device.status.v1" });

        try
        {
            while (!ct.IsCancellationRequested)
            {
                var result = consumer.Consume(ct);
                switch (result.Topic)
                {
                    case "telemetry.readings.v1":
                        var reading = JsonSerializer.Deserialize<Reading>(result.Message.Value, Json)!;
                        ledger.CountReading(reading.DeviceId, reading.RecordedAt);
                        break;
                    case "device.status.v1":
                        var status = JsonSerializer.Deserialize<DeviceStatus>(result.Message.Value, Json)!;
                        if (status.Online)
                        {
                            ledger.MarkActive(status.DeviceId, status.LastSeenAt);
                        }
                        break;
                }
                consumer.Commit(result);
            }
        }
        catch (OperationCanceledException)
        {
            log.LogInformation("meter stopping");
        }
        finally
        {
            consumer.Close();
        }
    }
}
