using System.Collections.Concurrent;

namespace Acme.BillingMeter;

/// Counts billable device-days and readings per tenant device.
public sealed class UsageLedger
{
    private readonly ConcurrentDictionary<(string DeviceId, DateOnly Day), long> _readings = new();
    private readonly ConcurrentDictionary<(string DeviceId, DateOnly Day), bool> _activeDays = new();

    public void CountReading(string deviceId, DateTimeOffset at) =>
        _readings.AddOrUpdate((deviceId, DateOnly.FromDateTime(at.UtcDateTime)), 1, (_, n) => n + 1);

    public void MarkActive(string deviceId, DateTimeOffset at) =>
        _activeDays.TryAdd((deviceId, DateOnly.FromDateTime(at.UtcDateTime)), true);

    public long ReadingsOn(string deviceId, DateOnly day) =>
        _readings.TryGetValue((deviceId, day), out var n) ? n : 0;
}
