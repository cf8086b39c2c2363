using ParcelBox.CrmSync;

var builder = Host.CreateApplicationBuilder(args);

builder.Services.AddHttpClient<HubSpotClient>(http =>
{
    http.BaseAddress = new Uri("https://api.hubapi.com");
    http.DefaultRequestHeaders.Authorization =
        new("Bearer", builder.Configuration["HubSpot:PrivateAppToken"]);
});
builder.Services.AddHostedService<UserEventsWorker>();

builder.Build().Run();
