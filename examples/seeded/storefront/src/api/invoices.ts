// Storefront's view of an invoice (contract: invoicing/openapi/invoicing.yaml).
export const INVOICING_URL = "http://invoicing:8080";

export interface Invoice {
  invoice_id: string;
  customer_id: string;
  amount_cents: string; // expect: type-drift (producer: integer)
  currency: string;
  status: string;
  paid_at: string; // expect: optionality-drift (producer: optional)
  created_at: string;
}

export async function getInvoice(id: string): Promise<Invoice> {
  const res = await fetch(`${INVOICING_URL}/v1/invoices/${id}`);
  return (await res.json()) as Invoice;
}

export function describe(invoice: Invoice): string {
  // decoy: a local variable named createdAt, not a read of any payload
  const createdAt = new Date(invoice.created_at);
  return `${invoice.invoice_id} ${createdAt.toISOString()}`;
}
