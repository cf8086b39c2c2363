using Acme.Invoicing.Tax;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllers();
builder.Services.AddHttpClient<TaxRatesClient>(http =>
{
    http.BaseAddress = new Uri(builder.Configuration["TaxService:BaseUrl"] ?? "http://tax-service:8080/");
    http.Timeout = TimeSpan.FromSeconds(3);
});

var app = builder.Build();
app.MapControllers();
app.Run();
