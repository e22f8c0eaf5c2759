// Conformance runner for the TypeScript client (client.mts: openapi-fetch over the types that
// openapi-typescript generates). Usage: node build/conformance.mjs PLAN.json (scripts/conformance.py
// runs it). One JSON line per scenario: {id, ok} | {id, error: {status, type, body}} | {id, failure}.
// openapi-fetch returns errors rather than throwing: `error` (the typed ErrorResponse) is set and
// `data` is not, which is what this runner reports as the language's error.
import { readFileSync } from "node:fs";
import { createScopixClient, type ScopixClient } from "./client.mjs";

interface Scenario {
  id: string;
  operation: string;
  method: string;
  path: string;
  base_url: string;
  api_key: string;
  args: Record<string, string | number | boolean>;
  pages: { items: string; limit: number } | null;
}

type Answer = { data?: unknown; error?: unknown; response: Response };
// Paths come from the plan at run time, so the call is typed loosely here; the typed use of the
// client (a path literal, checked parameters and results) is in client.mts's example.
type LooseGet = (path: string, init: { params: { query: Record<string, unknown> } }) => Promise<Answer>;

class ApiError extends Error {
  constructor(readonly status: number, readonly body: unknown) {
    super(`status ${status}`);
  }
}

const clients = new Map<string, ScopixClient>();

function client(s: Scenario): ScopixClient {
  const key = `${s.base_url} ${s.api_key}`;
  let made = clients.get(key);
  if (!made) {
    made = createScopixClient({ baseUrl: s.base_url, apiKey: s.api_key });
    clients.set(key, made);
  }
  return made;
}

async function call(s: Scenario, query: Record<string, unknown>): Promise<Record<string, unknown>> {
  if (s.method !== "GET") throw new Error(`no runner support for ${s.method}`);
  const get = client(s).GET as unknown as LooseGet;
  const { data, error, response } = await get(s.path, { params: { query } });
  if (error !== undefined || !response.ok) throw new ApiError(response.status, error);
  return data as Record<string, unknown>;
}

async function run(s: Scenario): Promise<unknown> {
  if (!s.pages) return call(s, s.args);
  const items: unknown[] = [];
  let offset = 0;
  for (;;) {
    const page = await call(s, { ...s.args, limit: s.pages.limit, offset });
    const batch = page[s.pages.items] as unknown[];
    items.push(...batch);
    if (!page.has_more) return items;
    offset += batch.length;
  }
}

const plan = JSON.parse(readFileSync(process.argv[2] ?? "", "utf-8")) as { scenarios: Scenario[] };
for (const s of plan.scenarios) {
  let report: Record<string, unknown>;
  try {
    report = { id: s.id, ok: await run(s) };
  } catch (err) {
    report = err instanceof ApiError
      ? { id: s.id, error: { status: err.status, type: "openapi-fetch error", body: err.body } }
      : { id: s.id, failure: err instanceof Error ? err.message : String(err) };
  }
  console.log(JSON.stringify(report));
}
