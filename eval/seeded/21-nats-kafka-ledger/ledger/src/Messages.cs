using System.Text.Json.Serialization;

namespace Acme.Ledger;

public sealed record EntryPosted(
    [property: JsonPropertyName("entry_id")] string EntryId,
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("amount_minor")] long AmountMinor,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("direction")] string Direction,
    [property: JsonPropertyName("posted_at")] DateTimeOffset PostedAt,
    [property: JsonPropertyName("memo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Memo);

public sealed record BalanceRequest(
    [property: JsonPropertyName("account_id")] string AccountId);

public sealed record BalanceReply(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("balance_minor")] long BalanceMinor,
    [property: JsonPropertyName("currency")] string Currency,
    [property: JsonPropertyName("as_of")] DateTimeOffset AsOf);

public sealed record PostEntryCommand(string AccountId, long AmountMinor, string Currency, string Direction, string? Memo);
