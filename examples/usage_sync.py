"""Every example of the usage documentation, sync. Reads SCOPIX_API_KEY and SCOPIX_BASE_URL.

make demo                     # against the local sandbox
python examples/usage_sync.py # against whatever the environment points at
"""

from __future__ import annotations

from scopix import SyncScopix


def section(title: str) -> None:
    print(f"\n== {title}")


def main() -> None:
    with SyncScopix() as client:
        section("check")
        result = client.usage.check(analysis_level="thorough", item_count=10)
        if result.can_proceed:
            print(f"Credits available: {result.available_credits}")
        else:
            print(f"Limit reached: {result.message}")

        section("get_breakdown")
        breakdown = client.usage.get_breakdown()
        print(f"{breakdown.usage_percentage:.1f}% of monthly limit used")
        print(f"Resets: {breakdown.reset_date}")

        section("get_summary")
        summary = client.usage.get_summary()
        print(f"Credits used: {summary.total_credits}")
        if summary.limits:
            print(f"Remaining: {summary.limits.remaining}")

        section("get_details")
        details = client.usage.get_details(limit=20)
        for event in details.events:
            print(f"{event.timestamp}: {event.endpoint} ({event.status_code})")

        section("get_all_details")
        for event in client.usage.get_all_details():
            print(f"{event.timestamp}: {event.endpoint}")

        section("get_by_period")
        daily = client.usage.get_by_period(period_type="day")
        for point in daily.data:
            print(f"{point.label}: {point.value}")

        section("get_top_endpoints")
        top = client.usage.get_top_endpoints(limit=5)
        for ep in top.endpoints:
            print(f"{ep.endpoint}: {ep.request_count} requests")

        section("get_dashboard_analytics")
        analytics = client.usage.get_dashboard_analytics(period="week")
        print(f"Files uploaded: {analytics.total_files_uploaded}")
        print(f"Chat sessions: {analytics.total_chat_sessions}")
        for day in analytics.daily_activity:
            print(f" {day.date}: {day.files_uploaded} files, {day.chat_messages} messages")

        section("get_plan")
        plan = client.usage.get_plan()
        if plan.projections and plan.projections.will_exceed_limit:
            print("Warning: projected to exceed monthly limit")
        if plan.plan_details:
            print(f"Plan: {plan.plan_details.plan_name}")
            print(f"Used: {plan.plan_details.usage_percentage:.1f}%")

        section("get_monthly_tokens")
        tokens = client.usage.get_monthly_tokens()
        print(f"Total tokens: {tokens.total_tokens:,}")
        print(f"Input: {tokens.total_input_tokens:,}, Output: {tokens.total_output_tokens:,}")

        section("get_file_tokens / get_all_file_tokens")
        files = client.usage.get_file_tokens(limit=10)
        for f in files.files:
            print(f"{f.filename}: {f.total_tokens:,} tokens")
        for f in client.usage.get_all_file_tokens():
            print(f"{f.filename}: {f.total_tokens:,} tokens")

        section("get_conversation_tokens / get_all_conversation_tokens")
        convos = client.usage.get_conversation_tokens(limit=10)
        for c in convos.conversations:
            print(f"{c.title}: {c.total_tokens:,} tokens ({c.message_count} messages)")
        for c in client.usage.get_all_conversation_tokens():
            print(f"{c.title}: {c.total_tokens:,} tokens")


if __name__ == "__main__":
    main()
