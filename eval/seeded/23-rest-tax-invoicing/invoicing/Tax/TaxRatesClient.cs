using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Acme.Invoicing.Tax;

public sealed class TaxRate
{
    [JsonPropertyName("region")]
    public required string Region { get; init; }

    [JsonPropertyName("rate_bps")]
    public required int RateBps { get; init; }

    [JsonPropertyName("effective_from")]
    public DateOnly EffectiveFrom { get; init; }

    [JsonPropertyName("reduced_rate_bps")]
    public required int ReducedRateBps { get; init; }

    [JsonPropertyName("inclusive")]
    public bool Inclusive { get; init; }
}

public sealed class TaxRatesClient(HttpClient http)
{
    public async Task<TaxRate> GetRateAsync(string region, CancellationToken ct)
    {
        var rate = await http.GetFromJsonAsync<TaxRate>($"v1/tax/rates/{Uri.EscapeDataString(region)}", ct);
        return rate ?? throw new InvalidOperationException($"no tax rate for {region}");
    }
}
