using Acme.Ledger;
using NATS.Client.Core;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton<INatsConnection>(_ => new NatsConnection(new NatsOpts
{
    Url = builder.Configuration["NATS_URL"] ?? "nats://nats:4222",
    Name = "ledger",
}));
builder.Services.AddSingleton<LedgerStore>();
builder.Services.AddSingleton<LedgerBus>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<LedgerBus>());

var app = builder.Build();

app.MapPost("/entries", async (PostEntryCommand cmd, LedgerStore store, LedgerBus bus, CancellationToken ct) =>
{
    var entry = store.Post(cmd);
    await bus.PublishAsync(entry, ct);
    return Results.Created($"/entries/{entry.EntryId}", entry);
});

app.Run();
