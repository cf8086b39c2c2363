using System.Text.Json;
using NATS.Client.Core;

namespace Acme.Ledger;

public sealed class LedgerBus(INatsConnection nats, LedgerStore store, ILogger<LedgerBus> log) : BackgroundService
{
    public const string EntryPostedSubject = "ledger.entry.posted";
    public const string BalanceSubject = "ledger.balance.get";

    public ValueTask PublishAsync(EntryPosted entry, CancellationToken ct) =>
        nats.PublishAsync(EntryPostedSubject, JsonSerializer.SerializeToUtf8Bytes(entry), cancellationToken: ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var msg in nats.SubscribeAsync<byte[]>(BalanceSubject, queueGroup: "ledger", cancellationToken: stoppingToken))
        {
            var request = msg.Data is null ? null : JsonSerializer.Deserialize<BalanceRequest>(msg.Data);
            if (request is null)
            {
                log.LogWarning("empty balance request on {Subject}", msg.Subject);
                continue;
            }

            var reply = new BalanceReply(request.AccountId, store.Balance(request.AccountId), "EUR", DateTimeOffset.UtcNow);
            await msg.ReplyAsync(JsonSerializer.SerializeToUtf8Bytes(reply), cancellationToken: stoppingToken);
        }
    }
}
