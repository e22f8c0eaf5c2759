// A typed client of the Scopix usage API: openapi-fetch over the types that openapi-typescript
// generates from openapi.yaml (generated/schema.d.ts, written by `make clients`).
import createClient, { type Client } from "openapi-fetch";
import type { components, operations, paths } from "../generated/schema.js";

export type { components, operations, paths };
export type Schemas = components["schemas"];
export type ScopixClient = Client<paths>;

/** The spec's `servers[0]`. */
export const DEFAULT_BASE_URL = "https://api.scopix.ai";

export interface ScopixClientOptions {
  apiKey: string;
  baseUrl?: string;
  fetch?: (input: Request) => Promise<Response>;
}

/** `client.GET("/v1/usage/check", { params: { query: { item_count: 10 } } })` → `{ data, error, response }`. */
export function createScopixClient(options: ScopixClientOptions): ScopixClient {
  return createClient<paths>({
    baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
    headers: { Authorization: `Bearer ${options.apiKey}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
