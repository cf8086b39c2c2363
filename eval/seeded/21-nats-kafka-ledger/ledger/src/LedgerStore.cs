using System.Collections.Concurrent;

namespace Acme.Ledger;

public sealed class LedgerStore
{
    private readonly ConcurrentDictionary<string, long> _balances = new();

    public EntryPosted Post(PostEntryCommand cmd)
    {
        var signed = cmd.Direction == "debit" ? -cmd.AmountMinor : cmd.AmountMinor;
        _balances.AddOrUpdate(cmd.AccountId, signed, (_, current) => current + signed);
        return new EntryPosted(
            EntryId: $"le_{Guid.NewGuid():N}",
            AccountId: cmd.AccountId,
            AmountMinor: cmd.AmountMinor,
            Currency: cmd.Currency,
            Direction: cmd.Direction,
            PostedAt: DateTimeOffset.UtcNow,
            Memo: cmd.Memo);
    }

    public long Balance(string accountId) => _balances.GetValueOrDefault(accountId);
}
