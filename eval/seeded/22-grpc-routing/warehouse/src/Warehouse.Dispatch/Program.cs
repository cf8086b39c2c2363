using Parcelway.Routing.V1;
using Parcelway.Warehouse.Dispatch;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddGrpcClient<RouteOptimizer.RouteOptimizerClient>(o =>
{
    o.Address = new Uri(builder.Configuration["Routing:Address"] ?? "http://routing.internal:50051");
});
builder.Services.AddScoped<RoutePlanner>();

var app = builder.Build();

app.MapPost("/waves/{waveId}/routes", async (string waveId, WaveRequest wave, RoutePlanner planner, CancellationToken ct) =>
    Results.Ok(await planner.PlanAsync(wave.DepotId, wave.VehicleId, wave.Departure, wave.Parcels, ct)));

app.MapDelete("/routes/{routeId}", async (string routeId, RoutePlanner planner, CancellationToken ct) =>
    await planner.CancelAsync(routeId, ct) ? Results.NoContent() : Results.NotFound());

app.Run();

public sealed record WaveRequest(string DepotId, string VehicleId, DateTimeOffset Departure, List<Parcel> Parcels);
