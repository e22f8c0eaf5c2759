// Calls every operation of openapi.yaml through the generated TypeScript client and checks the
// answers. Run by `make clients` (scripts/check_ts_client.py starts the sandbox and sets
// SCOPIX_BASE_URL, SCOPIX_API_KEY and SCOPIX_API_KEY_NO_PLAN). Compiled with tsc --strict, so a
// spec change that renames or retypes what this reads fails the build before it runs.
import assert from "node:assert/strict";
import { createScopixClient, type operations, type Schemas, type ScopixClient } from "./client.mjs";

type Result<T> = { data?: T; error?: unknown; response: Response };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (scripts/check_ts_client.py sets it)`);
  return value;
}

/** The body of a 200 answer, after checking the headers every API response carries. */
function ok<T>(result: Result<T>): T {
  const { response, data, error } = result;
  assert.equal(response.status, 200, `status ${response.status}: ${JSON.stringify(error)}`);
  assert.ok(data !== undefined, "a 200 without a body");
  checkHeaders(response);
  return data;
}

function checkHeaders(response: Response): void {
  assert.match(response.headers.get("X-Request-Id") ?? "", /^\S+$/, "X-Request-Id");
  for (const name of ["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"]) {
    const value = Number(response.headers.get(name));
    assert.ok(Number.isFinite(value) && value >= 0, `${name}: ${response.headers.get(name)}`);
  }
}

function errorBody(result: Result<unknown>, status: number): Schemas["ErrorResponse"] {
  assert.equal(result.response.status, status, `expected ${status}`);
  assert.equal(result.data, undefined);
  const body = result.error as Schemas["ErrorResponse"];
  assert.equal(typeof body.code, "string");
  assert.equal(typeof body.message, "string");
  assert.equal(body.request_id, result.response.headers.get("X-Request-Id"));
  return body;
}

function int(value: unknown, what: string): number {
  assert.ok(Number.isInteger(value), `${what} is not an integer: ${String(value)}`);
  return value as number;
}

function count(value: unknown, what: string): number {
  const n = int(value, what);
  assert.ok(n >= 0, `${what} is negative: ${n}`);
  return n;
}

function dateTime(value: string | null | undefined, what: string): number {
  assert.match(value ?? "", DATE_TIME, `${what} is not an RFC 3339 date-time`);
  return Date.parse(value ?? "");
}

function sum<T>(items: readonly T[], pick: (item: T) => number | undefined): number {
  return items.reduce((total, item) => total + (pick(item) ?? 0), 0);
}

/** `has_more` and `total` agree with the page: the same rule for every paged list. */
function checkPage(page: { total: number; limit: number; offset: number; has_more: boolean }, size: number, limit: number, offset: number): void {
  count(page.total, "total");
  assert.equal(page.limit, limit, "limit echoed");
  assert.equal(page.offset, offset, "offset echoed");
  assert.ok(size <= limit, `${size} items for limit ${limit}`);
  assert.equal(page.has_more, offset + size < page.total, "has_more == offset + size < total");
  if (page.has_more) assert.equal(size, limit, "a page before the last is full");
}

// One check per operationId: the Record type makes tsc fail when the spec gains an operation.
const checks: Record<keyof operations, (client: ScopixClient) => Promise<void>> = {
  async check(client) {
    const query = { analysis_level: "thorough", item_count: 10, content_category: "documents" } as const;
    const result = ok(await client.GET("/v1/usage/check", { params: { query } }));
    assert.equal(typeof result.can_proceed, "boolean");
    count(result.available_credits, "available_credits");
    assert.equal(result.credits_per_item, 3, "thorough costs 3 credits per item");
    assert.equal(result.required_credits, 10 * 3);
    assert.equal(result.can_proceed, result.available_credits >= result.required_credits);
    assert.equal(result.item_count, 10);
    assert.equal(result.content_category, "documents");
    assert.ok(result.message.length > 0);

    const noPlan = createScopixClient({ baseUrl: env("SCOPIX_BASE_URL"), apiKey: env("SCOPIX_API_KEY_NO_PLAN") });
    const refused = ok(await noPlan.GET("/v1/usage/check"));
    assert.equal(refused.can_proceed, false, "an account without a plan never proceeds");
  },

  async get_breakdown(client) {
    const b = ok(await client.GET("/v1/usage/breakdown"));
    const start = dateTime(b.billing_period.start, "billing_period.start");
    const end = dateTime(b.billing_period.end, "billing_period.end");
    assert.ok(start < end);
    assert.equal(dateTime(b.reset_date, "reset_date"), end, "credits reset at the end of the period");
    assert.equal(sum(b.by_operation, (o) => o.credits_used), b.total_credits_used);
    assert.equal(b.credits_remaining, Math.max(0, b.credit_limit - b.total_credits_used));
    for (const item of b.by_operation) {
      assert.equal(typeof item.operation_type, "string");
      count(item.request_count, "request_count");
    }
  },

  async get_summary(client) {
    const s = ok(await client.GET("/v1/usage/summary", { params: { query: { period: "month" } } }));
    assert.equal(s.period, "month");
    assert.ok(dateTime(s.start_date, "start_date") < dateTime(s.end_date, "end_date"));
    assert.equal(count(s.total_requests, "total_requests"), s.successful_requests + s.failed_requests);
    assert.ok(s.limits, "key_01's account has limits");
    assert.equal(s.limits.used, s.total_credits);
    assert.equal(s.plan?.plan_id, "pro_monthly");
  },

  async get_details(client) {
    const first = ok(await client.GET("/v1/usage/details", { params: { query: { limit: 5 } } }));
    checkPage(first, first.events.length, 5, 0);
    assert.ok(first.has_more, "the dataset has more than 5 events");
    const second = ok(await client.GET("/v1/usage/details", { params: { query: { limit: 5, offset: 5 } } }));
    checkPage(second, second.events.length, 5, 5);
    const events = [...first.events, ...second.events];
    assert.equal(new Set(events.map((e) => e.id)).size, events.length, "pages do not overlap");
    const times = events.map((e) => dateTime(e.timestamp, "timestamp"));
    times.forEach((t, i) => assert.ok(i === 0 || t <= (times[i - 1] ?? t), "newest first"));
    for (const e of events) {
      int(e.status_code, "status_code");
      count(e.credits_used, "credits_used");
      assert.match(e.endpoint, /^\//);
    }
    const last = ok(await client.GET("/v1/usage/details", { params: { query: { limit: 100, offset: first.total - 3 } } }));
    checkPage(last, last.events.length, 100, first.total - 3);
    assert.equal(last.events.length, 3, "the last page holds what is left");

    const chats = ok(await client.GET("/v1/usage/details", { params: { query: { operation_type: "chat", limit: 20 } } }));
    assert.ok(chats.events.every((e) => e.operation_type === "chat"), "operation_type filter");

    // The client's types accept any number; the server enforces the spec's bounds.
    const tooSmall = await client.GET("/v1/usage/details", { params: { query: { limit: 0 } } });
    assert.equal(errorBody(tooSmall, 422).code, "invalid_parameter");
  },

  async get_by_period(client) {
    const series = ok(await client.GET("/v1/usage/by-period", { params: { query: { period_type: "day" } } }));
    assert.equal(series.period_type, "day");
    assert.ok(series.data.length > 0);
    const starts = series.data.map((p) => dateTime(p.period_start, "period_start"));
    starts.forEach((t, i) => assert.ok(i === 0 || t > (starts[i - 1] ?? t), "chronological"));
    series.data.forEach((p) => count(p.value, "value"));

    const end = new Date(starts.at(-1) ?? 0).toISOString();
    const start = new Date((starts.at(-1) ?? 0) - 3 * 86_400_000).toISOString();
    const range = ok(await client.GET("/v1/usage/by-period", { params: { query: { period_type: "day", start_date: start, end_date: end } } }));
    assert.equal(range.data.length, 3, "three days [start, end)");
  },

  async get_top_endpoints(client) {
    const top = ok(await client.GET("/v1/usage/top-endpoints", { params: { query: { limit: 3 } } }));
    assert.ok(top.endpoints.length > 0 && top.endpoints.length <= 3);
    const counts = top.endpoints.map((e) => count(e.request_count, "request_count"));
    counts.forEach((n, i) => assert.ok(i === 0 || n <= (counts[i - 1] ?? n), "most used first"));
    assert.ok((top.total_requests ?? 0) >= sum(counts, (n) => n));
  },

  async get_dashboard_analytics(client) {
    const d = ok(await client.GET("/v1/usage/dashboard", { params: { query: { period: "week" } } }));
    assert.equal(d.period, "week");
    assert.equal(d.daily_activity.length, 7, "one entry per day of the week");
    d.daily_activity.forEach((day) => assert.match(day.date, DATE));
    assert.equal(sum(d.daily_activity, (day) => day.files_uploaded), d.total_files_uploaded);
    assert.equal(sum(d.daily_activity, (day) => day.chat_messages), d.total_chat_messages);
    if (d.token_usage) {
      const t = d.token_usage;
      assert.equal(t.total_tokens, t.input_tokens + t.output_tokens);
    }
  },

  async get_plan(client) {
    const plan = ok(await client.GET("/v1/usage/plan", { params: { query: { period: "month", include_projections: true } } }));
    assert.equal(plan.period, "month");
    assert.ok(plan.plan_details, "key_01's account has a plan");
    assert.equal(plan.plan_details.plan_id, "pro_monthly");
    assert.ok(plan.projections, "projections were asked for");
    assert.equal(typeof plan.projections.will_exceed_limit, "boolean");
    plan.feature_limits.forEach((f) => assert.ok(f.limit === null || Number.isInteger(f.limit)));
    plan.recommendations.forEach((r) => assert.equal(typeof r.priority, "string"));
    const without = ok(await client.GET("/v1/usage/plan", { params: { query: { include_projections: false } } }));
    assert.equal(without.projections, null, "no projections when not asked for");
  },

  async get_monthly_tokens(client) {
    const m = ok(await client.GET("/v1/usage/tokens/monthly"));
    assert.match(m.start_date, DATE);
    assert.match(m.end_date, DATE);
    assert.ok(m.start_date <= m.end_date);
    assert.equal(m.total_tokens, m.total_input_tokens + m.total_output_tokens);
    assert.equal(sum(m.by_month ?? [], (month) => month.total_tokens), m.total_tokens);
    (m.by_month ?? []).forEach((month) => assert.match(month.month, /^\d{4}-\d{2}$/));
  },

  async get_file_tokens(client) {
    const page = ok(await client.GET("/v1/usage/tokens/files", { params: { query: { limit: 10, offset: 2 } } }));
    checkPage(page, page.files.length, 10, 2);
    for (const f of page.files) {
      assert.ok(f.file_id.length > 0 && f.filename.length > 0);
      count(f.total_tokens, "total_tokens");
      if (f.input_tokens !== undefined && f.output_tokens !== undefined) {
        assert.equal(f.total_tokens, f.input_tokens + f.output_tokens);
      }
    }
  },

  async get_conversation_tokens(client) {
    const page = ok(await client.GET("/v1/usage/tokens/conversations", { params: { query: { limit: 10 } } }));
    checkPage(page, page.conversations.length, 10, 0);
    for (const c of page.conversations) {
      count(c.message_count, "message_count");
      count(c.total_tokens, "total_tokens");
      if (c.created_at && c.last_message_at) {
        assert.ok(dateTime(c.created_at, "created_at") <= dateTime(c.last_message_at, "last_message_at"));
      }
    }
  },
};

async function checkAuth(baseUrl: string): Promise<void> {
  const stranger = createScopixClient({ baseUrl, apiKey: "scopix_not_a_real_key_0000000000" });
  const denied = await stranger.GET("/v1/usage/summary");
  assert.equal(errorBody(denied, 401).code, "invalid_api_key");
}

async function main(): Promise<number> {
  const baseUrl = env("SCOPIX_BASE_URL");
  const client = createScopixClient({ baseUrl, apiKey: env("SCOPIX_API_KEY") });
  const all: [string, () => Promise<void>][] = [
    ...Object.entries(checks).map(([name, run]): [string, () => Promise<void>] => [name, () => run(client)]),
    ["401 with an unknown key", () => checkAuth(baseUrl)],
  ];
  let failed = 0;
  for (const [name, run] of all) {
    try {
      await run();
      console.log(`ok    ${name}`);
    } catch (err) {
      failed += 1;
      console.log(`FAIL  ${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(`typescript client: ${all.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
