using Acme.CrmSync;
using RabbitMQ.Client;

var builder = Host.CreateApplicationBuilder(args);

builder.Services.AddSingleton<IConnectionFactory>(_ => new ConnectionFactory
{
    Uri = new Uri(builder.Configuration["AMQP_URL"] ?? "amqp://guest:guest@rabbitmq:5672"),
    DispatchConsumersAsync = true,
});
builder.Services.AddHttpClient<ICrmClient, HubSpotClient>(http =>
{
    http.BaseAddress = new Uri("https://api.hubapi.com/");
    http.DefaultRequestHeaders.Authorization =
        new("Bearer", builder.Configuration["HUBSPOT_TOKEN"]);
});
builder.Services.AddHostedService<AccountEventsWorker>();

builder.Build().Run();
