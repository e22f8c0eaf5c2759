"""Names that make the data read like a real account's: file names and conversation titles."""

from __future__ import annotations

import random
from datetime import timedelta

from scopix_sandbox.clock import date_of, from_us

__all__ = ["filename", "title"]

_DOC_STEMS = (
    "q{q}-report", "invoice-{n:05d}", "contract-draft-v{v}", "board-minutes-{month}",
    "employee-handbook", "product-spec-{v}", "meeting-notes-{date}", "pricing-sheet-{year}",
    "research-summary", "annual-review-{year}", "purchase-order-{n:05d}", "nda-signed-{n:03d}",
    "lease-agreement", "sales-forecast-{year}", "onboarding-guide", "security-audit-q{q}",
    "vendor-proposal-{n:03d}", "customer-survey-results", "roadmap-{year}-h{h}",
    "release-notes-{v}", "travel-expenses-{month}", "insurance-policy", "support-tickets-{month}",
    "grant-application",
)  # fmt: skip
_DOC_EXTS = (
    ("pdf", "application/pdf", 0.55),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", 0.2),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 0.1),
    ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", 0.05),
    ("csv", "text/csv", 0.05),
    ("txt", "text/plain", 0.05),
)
_IMAGE_STEMS = (
    "site-photo-{n:04d}", "receipt-{date}", "whiteboard-{n:03d}", "screenshot-{date}",
    "product-shot-{n:03d}", "scan-{n:04d}", "shelf-audit-{n:03d}", "damage-claim-{n:04d}",
    "id-card-front", "floor-plan-{v}", "label-{n:05d}", "IMG_{n:04d}",
)  # fmt: skip
_IMAGE_EXTS = (
    ("jpg", "image/jpeg", 0.55),
    ("png", "image/png", 0.3),
    ("webp", "image/webp", 0.1),
    ("tiff", "image/tiff", 0.05),
)
_VIDEO_STEMS = (
    "product-demo-{v}", "webinar-recording-{date}", "onboarding-walkthrough", "dashcam-{n:04d}",
    "store-cctv-{date}", "customer-interview-{n:02d}", "training-session-{n:02d}",
)  # fmt: skip
_VIDEO_EXTS = (("mp4", "video/mp4", 0.8), ("mov", "video/quicktime", 0.2))


def filename(rng: random.Random, kind: str, ts: int) -> tuple[str, str]:
    stems, exts = {
        "doc": (_DOC_STEMS, _DOC_EXTS),
        "image": (_IMAGE_STEMS, _IMAGE_EXTS),
        "video": (_VIDEO_STEMS, _VIDEO_EXTS),
    }[kind]
    d = date_of(ts) - timedelta(days=rng.randrange(0, 20))
    dt = from_us(ts)
    stem = rng.choice(stems).format(
        n=rng.randrange(1, 99_999) % (10 ** rng.choice((2, 3, 4, 5))),
        v=rng.randrange(1, 9),
        q=(dt.month - 1) // 3 + 1,
        h=1 if dt.month <= 6 else 2,
        year=dt.year,
        month=f"{dt.year}-{dt.month:02d}",
        date=d.isoformat(),
    )
    if rng.random() < 0.08:
        stem += rng.choice(("-final", "-FINAL", "-copy", " (1)", "-signed", "-v2"))
    ext, content_type, _ = rng.choices(exts, weights=[e[2] for e in exts])[0]
    return f"{stem}.{ext}", content_type


_TITLES = (
    "Quarterly numbers review", "Contract clause questions", "Summarize the {doc} findings",
    "Invoice discrepancies for {month}", "Onboarding checklist help", "Marketing copy brainstorm",
    "Bug triage for release {v}", "Customer churn analysis", "Translate the product FAQ",
    "Compare vendor proposals", "Draft a reply to {customer}", "SQL for weekly KPIs",
    "Video transcript highlights", "Image tagging rules", "Meeting prep: {topic}",
    "Explain the {doc} to a new hire", "Pricing page rewrite", "Extract tables from {doc}",
    "Support macro ideas", "Why did credits spike on {weekday}?", "Receipt categorisation",
    "Policy update summary", "{topic} research notes", "Interview questions for {role}",
    "Fix the CSV import", "Release notes draft {v}", "Competitor feature matrix",
    "Legal review checklist", "Shelf photos: missing labels", "Plan the {topic} workshop",
    "Email to {customer} about renewal", "Forecast assumptions", "Accessibility audit findings",
    "Cleaning up the product catalogue", "Warehouse damage claims", "Board deck outline",
)  # fmt: skip
_FILL = {
    "doc": ("security audit", "Q3 report", "lease agreement", "survey results", "handbook",
            "vendor proposal", "annual review", "board minutes"),
    "month": ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"),
    "customer": ("Northwind", "Globex", "Initech", "Umbrella Health", "Stark Logistics",
                 "Wayne Foods", "Hooli", "Acme Retail"),
    "topic": ("pricing", "onboarding", "data retention", "GDPR", "Q4 planning", "hiring",
              "customer success", "inventory"),
    "role": ("data engineer", "support lead", "product designer", "account manager"),
    "weekday": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"),
}  # fmt: skip


def title(rng: random.Random) -> str:
    template = rng.choice(_TITLES)
    return template.format(
        v=f"{rng.randrange(1, 5)}.{rng.randrange(0, 12)}",
        **{k: rng.choice(v) for k, v in _FILL.items()},
    )
