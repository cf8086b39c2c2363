using System.Text.Json;
using Confluent.Kafka;

namespace ColdChain.Alerts;

public sealed class ReadingsWorker(IConfiguration config, PagerDuty pagerDuty, ILogger<ReadingsWorker> log) : BackgroundService
{
    private const string ReadingsTopic = "telemetry.readings.v1";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly double _maxCelsius = double.Parse(config["Thresholds:MaxCelsius"] ?? "8.0");
    private readonly int _minBattery = int.Parse(config["Thresholds:MinBatteryPct"] ?? "15");

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(() => Loop(stoppingToken), stoppingToken);

    private async Task Loop(CancellationToken ct)
    {
        var consumerConfig = new ConsumerConfig
        {
            BootstrapServers = config["Kafka:Brokers"] ?? "kafka:9092",
            GroupId = "alerts",
            AutoOffsetReset = AutoOffsetReset.Latest,
            EnableAutoCommit = true,
        };
        using var consumer = new ConsumerBuilder<string, string>(consumerConfig).Build();
        consumer.Subscribe(ReadingsTopic);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var result = consumer.Consume(ct);
                var reading = JsonSerializer.Deserialize<Reading>(result.Message.Value, Json);
                if (reading is null) continue;

                if (reading.Metric == "temperature" && reading.Unit == "C" && reading.Value > _maxCelsius)
                {
                    await pagerDuty.TriggerAsync($"temp-{reading.SensorId}",
                        $"{reading.SiteId}: sensor {reading.SensorId} at {reading.Value:F1}°C ({reading.RecordedAt:u})",
                        reading.SensorId, ct);
                }
                if (reading.BatteryPct is { } battery && battery < _minBattery)
                {
                    log.LogWarning("sensor {Sensor} battery at {Battery}%", reading.SensorId, battery);
                }
            }
        }
        finally
        {
            consumer.Close();
        }
    }
}
