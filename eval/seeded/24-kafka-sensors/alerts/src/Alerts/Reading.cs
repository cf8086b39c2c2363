namespace ColdChain.Alerts;

public sealed record Reading(
    string SensorId,
    string SiteId,
    string Metric,
    double Value,
    string Unit,
    DateTimeOffset RecordedAt,
    int? BatteryPct);
