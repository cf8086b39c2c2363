import axios, { type AxiosInstance } from "axios";

export interface PriceQuote {
  sku: string;
  amountMinor: number;
  currency: string;
  compareAtMinor?: number;
  validUntil: string;
}

export class PricingClient {
  private readonly http: AxiosInstance;

  constructor(baseURL: string = process.env.PRICING_URL ?? "http://pricing:8080") {
    this.http = axios.create({ baseURL, timeout: 1_500 });
  }

  async quote(sku: string, currency: string): Promise<PriceQuote | null> {
    const res = await this.http.get<PriceQuote>(`/api/prices/${encodeURIComponent(sku)}`, {
      params: { currency },
      validateStatus: (status) => status === 200 || status === 404,
    });
    return res.status === 404 ? null : res.data;
  }

  async quotes(skus: string[], currency: string): Promise<PriceQuote[]> {
    const { data } = await this.http.post<PriceQuote[]>("/api/prices/batch", { skus, currency });
    return data;
  }
}
