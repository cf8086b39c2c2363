using System.Text.Json.Serialization;

namespace Acme.BillingMeter;

public sealed record Reading(
    [property: JsonPropertyName("device_id")] string DeviceId,
    string Firmware,
    double TemperatureC,
    DateTimeOffset RecordedAt);

public sealed record DeviceStatus(string DeviceId, bool Online, DateTimeOffset LastSeenAt);
