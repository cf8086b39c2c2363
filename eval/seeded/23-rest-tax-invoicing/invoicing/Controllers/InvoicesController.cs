using System.Collections.Concurrent;
using Acme.Invoicing.Models;
using Acme.Invoicing.Tax;
using Microsoft.AspNetCore.Mvc;

namespace Acme.Invoicing.Controllers;

[ApiController]
[Route("api/invoices")]
public sealed class InvoicesController(TaxRatesClient tax) : ControllerBase
{
    private static readonly ConcurrentDictionary<Guid, InvoiceDto> Invoices = new();
    private static int _sequence;

    [HttpGet("{id:guid}")]
    public ActionResult<InvoiceDto> Get(Guid id) =>
        Invoices.TryGetValue(id, out var invoice) ? invoice : NotFound();

    [HttpPost]
    public async Task<ActionResult<InvoiceDto>> Create(CreateInvoiceRequest request, CancellationToken ct)
    {
        var rate = await tax.GetRateAsync(request.Region, ct);

        var lines = request.Lines
            .Select(l => new InvoiceLineDto(l.Description, l.Quantity, l.UnitPrice, l.Quantity * l.UnitPrice))
            .ToList();
        var taxAmount = request.Lines.Sum(l =>
            l.Quantity * l.UnitPrice * (l.Reduced ? rate.ReducedRateBps : rate.RateBps) / 10_000m);
        var subtotal = lines.Sum(l => l.Amount);

        var invoice = new InvoiceDto(
            Id: Guid.NewGuid(),
            CustomerId: request.CustomerId,
            Number: $"{DateTime.UtcNow:yyyy}-{Interlocked.Increment(ref _sequence):D6}",
            Subtotal: subtotal,
            Tax: Math.Round(taxAmount, 2),
            Total: subtotal + Math.Round(taxAmount, 2),
            Currency: request.Currency,
            IssuedAt: DateTimeOffset.UtcNow,
            Lines: lines);
        Invoices[invoice.Id] = invoice;
        return CreatedAtAction(nameof(Get), new { id = invoice.Id }, invoice);
    }
}
