using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Parcelway.Routing.V1;

namespace Parcelway.Warehouse.Dispatch;

public sealed record Parcel(string ParcelId, double Lat, double Lon);

public sealed record PlannedRoute(string RouteId, double DistanceKm, TimeSpan Duration, IReadOnlyList<string> Unassigned);

public sealed class RoutePlanner(RouteOptimizer.RouteOptimizerClient client, ILogger<RoutePlanner> log)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public async Task<PlannedRoute> PlanAsync(
        string depotId, string vehicleId, DateTimeOffset departure, IEnumerable<Parcel> parcels, CancellationToken ct)
    {
        var request = new PlanRouteRequest
        {
            DepotId = depotId,
            VehicleId = vehicleId,
            Departure = Timestamp.FromDateTimeOffset(departure),
        };
        request.Stops.AddRange(parcels.Select(p => new Stop { StopId = p.ParcelId, ParcelId = p.ParcelId, Lat = p.Lat, Lon = p.Lon }));

        var response = await client.PlanRouteAsync(request, deadline: DateTime.UtcNow.Add(Timeout), cancellationToken: ct);
        if (response.UnassignedParcelIds.Count > 0)
        {
            log.LogWarning("{Count} parcels could not be routed for {Vehicle}", response.UnassignedParcelIds.Count, vehicleId);
        }

        var route = response.Route;
        return new PlannedRoute(
            route.RouteId,
            route.TotalDistanceMeters / 1000.0,
            TimeSpan.FromSeconds(route.TotalDurationSeconds),
            response.UnassignedParcelIds.ToList());
    }

    public async Task<bool> CancelAsync(string routeId, CancellationToken ct)
    {
        try
        {
            await client.CancelRouteAsync(new GetRouteRequest { RouteId = routeId }, deadline: DateTime.UtcNow.Add(Timeout), cancellationToken: ct);
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }
}
