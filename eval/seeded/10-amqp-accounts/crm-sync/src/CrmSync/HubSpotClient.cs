using System.Net.Http.Json;

namespace ParcelBox.CrmSync;

public sealed class HubSpotClient(HttpClient http)
{
    public async Task UpsertContactAsync(UserRegistered user, CancellationToken ct)
    {
        var body = new
        {
            idProperty = "email",
            inputs = new[]
            {
                new
                {
                    id = user.Email,
                    properties = new Dictionary<string, string>
                    {
                        ["email"] = user.Email,
                        ["firstname"] = user.DisplayName,
                        ["parcelbox_plan"] = user.Plan,
                        ["parcelbox_user_id"] = user.UserId,
                    },
                },
            },
        };
        using var resp = await http.PostAsJsonAsync("/crm/v3/objects/contacts/batch/upsert", body, ct);
        resp.EnsureSuccessStatusCode();
    }

    public async Task ArchiveContactAsync(string userId, CancellationToken ct)
    {
        using var resp = await http.DeleteAsync($"/crm/v3/objects/contacts/{Uri.EscapeDataString(userId)}?idProperty=parcelbox_user_id", ct);
        if (resp.StatusCode != System.Net.HttpStatusCode.NotFound)
        {
            resp.EnsureSuccessStatusCode();
        }
    }
}
