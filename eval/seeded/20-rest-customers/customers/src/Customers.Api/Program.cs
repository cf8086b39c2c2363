using Harbour.Customers.Api;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("Customers")!));
builder.Services.AddSingleton<ICustomerStore, PgCustomerStore>();
builder.Services.AddControllers();

var app = builder.Build();
app.MapControllers();
app.Run();
