"""One handler per operationId: validated parameters in, the response body (a dict) out.

Everything is answered from the store's rows for the caller's account, so the endpoints agree:
a summary's `total_requests` is the sum of `get_by_period` over the same range, the breakdown's
credits add up to its total, top endpoints count the events that `get_details` pages through.
The handlers live by topic: credits.py, activity.py, tokens.py and plan.py; the time ranges the
operations answer for are in periods.py.
"""

from __future__ import annotations

from scopix_sandbox.activity import (
    get_by_period,
    get_dashboard_analytics,
    get_details,
    get_top_endpoints,
)
from scopix_sandbox.context import Handler
from scopix_sandbox.credits import check, get_breakdown, get_summary
from scopix_sandbox.plan import get_plan
from scopix_sandbox.tokens import get_conversation_tokens, get_file_tokens, get_monthly_tokens

__all__ = ["HANDLERS"]

HANDLERS: dict[str, Handler] = {
    "check": check,
    "get_breakdown": get_breakdown,
    "get_summary": get_summary,
    "get_details": get_details,
    "get_by_period": get_by_period,
    "get_top_endpoints": get_top_endpoints,
    "get_dashboard_analytics": get_dashboard_analytics,
    "get_plan": get_plan,
    "get_monthly_tokens": get_monthly_tokens,
    "get_file_tokens": get_file_tokens,
    "get_conversation_tokens": get_conversation_tokens,
}
