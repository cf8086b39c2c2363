using System.Net.Http.Json;

namespace Acme.CrmSync;

public interface ICrmClient
{
    Task UpsertContactAsync(string externalId, string email, string name, string plan, CancellationToken ct);
    Task UpdateEmailAsync(string externalId, string email, CancellationToken ct);
    Task ArchiveContactAsync(string externalId, CancellationToken ct);
}

public sealed class HubSpotClient(HttpClient http) : ICrmClient
{
    public async Task UpsertContactAsync(string externalId, string email, string name, string plan, CancellationToken ct)
    {
        var body = new
        {
            inputs = new[]
            {
                new { id = externalId, idProperty = "acme_user_id", properties = new { email, firstname = name, acme_plan = plan } },
            },
        };
        using var resp = await http.PostAsJsonAsync("crm/v3/objects/contacts/batch/upsert", body, ct);
        resp.EnsureSuccessStatusCode();
    }

    public async Task UpdateEmailAsync(string externalId, string email, CancellationToken ct)
    {
        using var resp = await http.PatchAsJsonAsync(
            $"crm/v3/objects/contacts/{externalId}?idProperty=acme_user_id", new { properties = new { email } }, ct);
        resp.EnsureSuccessStatusCode();
    }

    public async Task ArchiveContactAsync(string externalId, CancellationToken ct)
    {
        using var resp = await http.DeleteAsync($"crm/v3/objects/contacts/{externalId}?idProperty=acme_user_id", ct);
        resp.EnsureSuccessStatusCode();
    }
}
