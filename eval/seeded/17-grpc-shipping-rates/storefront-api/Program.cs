using Acme.Shipping.V1;
using Acme.StorefrontApi.Services;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGrpcClient<RatesService.RatesServiceClient>(o =>
{
    o.Address = new Uri(builder.Configuration["ShippingRates:Address"] ?? "http://shipping-rates:9090");
});
builder.Services.AddScoped<ShippingQuotes>();

var app = builder.Build();

app.MapGet("/api/shipping/quote", async (string country, string postalCode, int grams, ShippingQuotes quotes, CancellationToken ct) =>
    await quotes.QuoteAsync(country, postalCode, grams, ct) is { } quote ? Results.Ok(quote) : Results.StatusCode(503));

app.Run();
