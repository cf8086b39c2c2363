using ColdChain.Alerts;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddHttpClient<PagerDuty>();
builder.Services.AddHostedService<ReadingsWorker>();
builder.Build().Run();
