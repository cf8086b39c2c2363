using System.Text.Json.Serialization;

namespace Acme.CrmSync;

public sealed record UserSignedUp(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("display_name")] string DisplayName,
    [property: JsonPropertyName("locale")] string Locale,
    [property: JsonPropertyName("plan")] string Plan,
    [property: JsonPropertyName("signed_up_at")] DateTimeOffset SignedUpAt);

public sealed record EmailChanged(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("email")] string Email,
    [property: JsonPropertyName("previous_email")] string PreviousEmail);

public sealed record UserDeactivated(
    [property: JsonPropertyName("user_id")] string UserId,
    [property: JsonPropertyName("deactivated_at")] DateTimeOffset DeactivatedAt);
