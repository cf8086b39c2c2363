import { analytics } from "../analytics";
import { getInvoice, listOpenInvoices, type Invoice } from "../api/invoicesClient";

export interface InvoiceSummary {
  id: string;
  number: string;
  outstanding: string;
  due: string;
  overdue: boolean;
}

function formatMinor(amount: number, currency: string): string {
  return new Intl.NumberFormat("en-GB", { style: "currency", currency }).format(amount / 100);
}

function toSummary(invoice: Invoice): InvoiceSummary {
  const due = new Date(invoice.dueDate);
  return {
    id: invoice.id,
    number: invoice.number,
    outstanding: formatMinor(invoice.amount_due - invoice.amount_paid, invoice.currency),
    due: due.toLocaleDateString("en-GB"),
    overdue: invoice.status === "open" && due.getTime() < Date.now(),
  };
}

export async function loadInvoiceSummary(userId: string, invoiceId: string): Promise<InvoiceSummary> {
  const invoice = await getInvoice(invoiceId);
  analytics.track({
    userId,
    event: "Invoice Viewed",
    properties: { invoiceId: invoice.id, customerId: invoice.customer_id, createdAt: new Date().toISOString() },
  });
  return toSummary(invoice);
}

export async function loadOpenInvoices(customerId: string): Promise<InvoiceSummary[]> {
  const invoices = await listOpenInvoices(customerId);
  return invoices.map(toSummary).sort((a, b) => Number(b.overdue) - Number(a.overdue));
}
