using System.Text.Json.Serialization;

namespace ParcelBox.CrmSync;

public sealed record UserRegistered(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("plan")] string Plan,
    [property: JsonPropertyName("registered_at")] DateTimeOffset RegisteredAt);

// Deserialized with JsonNamingPolicy.SnakeCaseLower, see UserEventsWorker.
public sealed record UserDeleted(
    string UserId,
    DateTimeOffset DeletedAt,
    string? Reason);
