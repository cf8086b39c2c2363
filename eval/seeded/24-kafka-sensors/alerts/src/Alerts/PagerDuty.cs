using System.Net.Http.Json;

namespace ColdChain.Alerts;

public sealed class PagerDuty(HttpClient http, IConfiguration config)
{
    public async Task TriggerAsync(string dedupKey, string summary, string source, CancellationToken ct)
    {
        var evt = new
        {
            routing_key = config["PagerDuty:RoutingKey"],
            event_action = "trigger",
            dedup_key = dedupKey,
            payload = new { summary, source, severity = "critical" },
        };
        using var resp = await http.PostAsJsonAsync("https://events.pagerduty.com/v2/enqueue", evt, ct);
        resp.EnsureSuccessStatusCode();
    }
}
