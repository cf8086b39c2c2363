using Microsoft.AspNetCore.Mvc;

namespace Harbour.Customers.Api.Controllers;

[ApiController]
[Route("api/customers")]
public sealed class CustomersController(ICustomerStore store) : ControllerBase
{
    [HttpGet("{id:guid}")]
    public async Task<ActionResult<CustomerDto>> Get(Guid id, CancellationToken ct)
    {
        var customer = await store.FindAsync(id, ct);
        return customer is null ? NotFound() : customer;
    }

    [HttpGet]
    public async Task<ActionResult<IReadOnlyList<CustomerDto>>> Search([FromQuery] string email, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return BadRequest("email is required");
        }
        return Ok(await store.SearchByEmailAsync(email, ct));
    }
}
