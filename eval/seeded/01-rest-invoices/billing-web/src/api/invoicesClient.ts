import axios from "axios";

export type InvoiceStatus = "draft" | "open" | "paid" | "void";

export interface LineItem {
  description: string;
  quantity: number;
  unit_amount: number;
}

export interface Invoice {
  id: string;
  customer_id: string;
  number: string;
  status: InvoiceStatus;
  currency: string;
  amount_due: number;
  amount_paid: number;
  dueDate: string;
  issued_at: string;
  paid_at: string | null;
  line_items: LineItem[];
}

export interface InvoicePage {
  items: Invoice[];
  next_cursor: string | null;
}

const invoicesApi = axios.create({
  baseURL: process.env.INVOICES_API_URL ?? "http://invoices.internal:8080",
  timeout: 5_000,
  headers: { Accept: "application/json" },
});

export async function listOpenInvoices(customerId: string): Promise<Invoice[]> {
  const { data } = await invoicesApi.get<InvoicePage>("/invoices", {
    params: { customer_id: customerId, status: "open" },
  });
  return data.items;
}

export async function getInvoice(id: string): Promise<Invoice> {
  const { data } = await invoicesApi.get<Invoice>(`/invoices/${encodeURIComponent(id)}`);
  return data;
}

export async function voidInvoice(id: string): Promise<Invoice> {
  const { data } = await invoicesApi.post<Invoice>(`/invoices/${encodeURIComponent(id)}/void`);
  return data;
}

export async function downloadInvoicePdf(id: string): Promise<ArrayBuffer> {
  const { data } = await invoicesApi.get<ArrayBuffer>(`/invoices/${encodeURIComponent(id)}/pdf`, {
    responseType: "arraybuffer",
    headers: { Accept: "application/pdf" },
  });
  return data;
}
