using Acme.BillingMeter;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddSingleton<UsageLedger>();
builder.Services.AddHostedService<MeterWorker>();
builder.Build().Run();
