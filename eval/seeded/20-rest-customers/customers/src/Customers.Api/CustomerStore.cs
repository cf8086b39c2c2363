using Dapper;
using Npgsql;

namespace Harbour.Customers.Api;

public interface ICustomerStore
{
    Task<CustomerDto?> FindAsync(Guid id, CancellationToken ct);
    Task<IReadOnlyList<CustomerDto>> SearchByEmailAsync(string email, CancellationToken ct);
}

public sealed class PgCustomerStore(NpgsqlDataSource db) : ICustomerStore
{
    private const string Columns =
        "id AS Id, email AS Email, display_name AS DisplayName, phone AS Phone, created_at AS CreatedAt, loyalty_tier AS LoyaltyTier";

    public async Task<CustomerDto?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<CustomerDto>(
            new CommandDefinition($"SELECT {Columns} FROM customers WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<CustomerDto>> SearchByEmailAsync(string email, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<CustomerDto>(
            new CommandDefinition($"SELECT {Columns} FROM customers WHERE lower(email) = lower(@email) LIMIT 20", new { email }, cancellationToken: ct));
        return rows.ToList();
    }
}
