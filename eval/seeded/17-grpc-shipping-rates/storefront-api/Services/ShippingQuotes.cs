using Acme.Shipping.V1;
using Grpc.Core;

namespace Acme.StorefrontApi.Services;

public sealed record ShippingOption(string Carrier, string Level, decimal Price, string Currency, int Days);

public sealed record ShippingQuote(string QuoteId, IReadOnlyList<ShippingOption> Options);

public sealed class ShippingQuotes(RatesService.RatesServiceClient rates, ILogger<ShippingQuotes> log)
{
    public async Task<ShippingQuote?> QuoteAsync(string destinationCountry, string postalCode, int weightGrams, CancellationToken ct)
    {
        var request = new QuoteRatesRequest
        {
            OriginCountry = "DE",
            DestinationCountry = destinationCountry,
            DestinationPostalCode = postalCode,
        };
        request.Parcels.Add(new Parcel { WeightGrams = weightGrams });

        try
        {
            var reply = await rates.QuoteRatesAsync(request, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: ct);
            var options = reply.Quotes
                .OrderBy(q => q.AmountMinor)
                .Select(q => new ShippingOption(q.CarrierCode, q.ServiceLevel, q.AmountMinor / 100m, q.CurrencyCode, q.EstimatedDays))
                .ToList();
            return new ShippingQuote(reply.QuoteId, options);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable)
        {
            log.LogWarning(ex, "shipping-rates unavailable, hiding shipping options");
            return null;
        }
    }
}
