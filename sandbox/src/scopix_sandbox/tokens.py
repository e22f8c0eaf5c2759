"""Handlers of the token operations: `get_monthly_tokens`, `get_file_tokens`,
`get_conversation_tokens`."""

from __future__ import annotations

from typing import Any

from scopix_sandbox import clock, periods, reports
from scopix_sandbox.context import JSON, Context, page
from scopix_sandbox.store import EventFilter

__all__ = ["get_conversation_tokens", "get_file_tokens", "get_monthly_tokens"]


def get_monthly_tokens(ctx: Context, p: dict[str, Any]) -> JSON:
    """Dates are inclusive. Without them the current billing period; with only `start_date`
    through today (or that one day, if it is later); with only `end_date` from the first of its
    month."""
    start, end = periods.token_dates(p.get("start_date"), p.get("end_date"), ctx.now_us)
    # end + DAY_US, not end + timedelta: 9999-12-31 has no next date but its instants are fine
    lo, hi = clock.date_start_us(start), clock.date_start_us(end) + clock.DAY_US
    f = EventFilter(ctx.account.account_id, None, None, lo, hi)
    t = reports.totals(ctx.store, f)
    # One grouped query, then every month of the range (a range of millennia stays cheap)
    months = ctx.store.grouped(f, ("month",), ("in_tok", "out_tok"))
    by_month = []
    for m in range(clock.month_index(lo), clock.month_index(hi - 1) + 1):
        _, in_tok, out_tok = months.get((m,), (0, 0, 0))
        by_month.append(
            {
                "month": clock.month_label(m),
                "total_tokens": int(in_tok + out_tok),
                "input_tokens": int(in_tok),
                "output_tokens": int(out_tok),
            }
        )
    return {
        "start_date": clock.fmt_date(start),
        "end_date": clock.fmt_date(end),
        "total_tokens": t.tokens,
        "total_input_tokens": t.input_tokens,
        "total_output_tokens": t.output_tokens,
        "request_count": t.token_requests,
        "by_month": by_month,
    }


def get_file_tokens(ctx: Context, p: dict[str, Any]) -> JSON:
    limit: int = p["limit"]
    offset: int = p["offset"]
    account = ctx.account.account_id
    total = ctx.store.files_count(account)
    rows = ctx.store.files_page(account, limit, offset) if offset < total else []
    files = [
        {
            "file_id": f"file_{fid:05d}",
            "filename": name,
            "content_type": ctype,
            "size_bytes": size,
            "input_tokens": in_tok,
            "output_tokens": out_tok,
            "total_tokens": in_tok + out_tok,
            "processed_at": clock.fmt_event_ts(processed),
        }
        for fid, name, ctype, size, in_tok, out_tok, processed in rows
    ]
    return page("files", files, total, limit, offset)


def get_conversation_tokens(ctx: Context, p: dict[str, Any]) -> JSON:
    limit: int = p["limit"]
    offset: int = p["offset"]
    account = ctx.account.account_id
    total = ctx.store.conversations_count(account)
    rows = ctx.store.conversations_page(account, limit, offset) if offset < total else []
    convs = [
        {
            "conversation_id": f"conv_{cid:05d}",
            "title": title,
            "message_count": count,
            "input_tokens": in_tok,
            "output_tokens": out_tok,
            "total_tokens": in_tok + out_tok,
            "created_at": clock.fmt_event_ts(created),
            "last_message_at": clock.fmt_event_ts(last),
        }
        for cid, title, count, in_tok, out_tok, created, last in rows
    ]
    return page("conversations", convs, total, limit, offset)
