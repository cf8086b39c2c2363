namespace Acme.Invoicing.Models;

public sealed record InvoiceLineDto(string Description, int Quantity, decimal UnitPrice, decimal Amount);

public sealed record InvoiceDto(
    Guid Id,
    string CustomerId,
    string Number,
    decimal Subtotal,
    decimal Tax,
    decimal Total,
    string Currency,
    DateTimeOffset IssuedAt,
    IReadOnlyList<InvoiceLineDto> Lines);

public sealed record CreateInvoiceLine(string Description, int Quantity, decimal UnitPrice, bool Reduced);

public sealed record CreateInvoiceRequest(string CustomerId, string Region, string Currency, IReadOnlyList<CreateInvoiceLine> Lines);
