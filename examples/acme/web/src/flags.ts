import { OpenFeature } from "@openfeature/web-sdk";

// Feature flags served by flagd (definitions: acme/platform deploy/flags.flagd.json).
const client = OpenFeature.getClient();

export function newCheckoutEnabled(): boolean {
  return client.getBooleanValue("new-checkout", false);
}

export function searchVariant(): string {
  return client.getStringValue("beta-search", "classic");
}
