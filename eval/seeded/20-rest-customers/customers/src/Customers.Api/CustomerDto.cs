using System.Text.Json.Serialization;

namespace Harbour.Customers.Api;

public sealed record CustomerDto(
    Guid Id,
    string Email,
    string DisplayName,
    string? Phone,
    DateTimeOffset CreatedAt,
    [property: JsonPropertyName("loyalty_tier")] string? LoyaltyTier);
