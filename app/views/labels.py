"""Display names of stored codes (customer kinds, categories, channels...), translated."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.kernel.messages import QT_TRANSLATE_NOOP

CTX = "Labels"

LABELS: dict[str, dict[str, str]] = {
    "kind": {
        "resident": QT_TRANSLATE_NOOP("Labels", "Resident"),
        "intermediary": QT_TRANSLATE_NOOP("Labels", "Intermediary (property management)"),
        "enterprise": QT_TRANSLATE_NOOP("Labels", "Enterprise"),
        "government": QT_TRANSLATE_NOOP("Labels", "Government / social organisation"),
    },
    "relationship_status": {
        "potential": QT_TRANSLATE_NOOP("Labels", "Potential"),
        "new": QT_TRANSLATE_NOOP("Labels", "New"),
        "long_term": QT_TRANSLATE_NOOP("Labels", "Long-term"),
        "former": QT_TRANSLATE_NOOP("Labels", "Former"),
        "troublesome": QT_TRANSLATE_NOOP("Labels", "Needs care"),
    },
    "vip_level": {
        "": QT_TRANSLATE_NOOP("Labels", "None"),
        "special": QT_TRANSLATE_NOOP("Labels", "Special-level important customer"),
        "first": QT_TRANSLATE_NOOP("Labels", "First-level important customer"),
        "second": QT_TRANSLATE_NOOP("Labels", "Second-level important customer"),
    },
    "id_type": {
        "resident_id": QT_TRANSLATE_NOOP("Labels", "Resident ID card"),
        "passport": QT_TRANSLATE_NOOP("Labels", "Passport"),
        "org_code": QT_TRANSLATE_NOOP("Labels", "Unified social credit code"),
        "other": QT_TRANSLATE_NOOP("Labels", "Other"),
    },
    "service": {
        "electricity": QT_TRANSLATE_NOOP("Labels", "Electricity"),
        "water": QT_TRANSLATE_NOOP("Labels", "Water"),
    },
    "usage_category": {
        "residential": QT_TRANSLATE_NOOP("Labels", "Residential"),
        "general_commercial": QT_TRANSLATE_NOOP("Labels", "General commercial & industrial"),
        "large_industry": QT_TRANSLATE_NOOP("Labels", "Large industry"),
        "agriculture": QT_TRANSLATE_NOOP("Labels", "Agricultural production"),
        "non_residential": QT_TRANSLATE_NOOP("Labels", "Non-residential"),
        "special": QT_TRANSLATE_NOOP("Labels", "Special"),
    },
    "status": {
        "normal": QT_TRANSLATE_NOOP("Labels", "Normal"),
        "new": QT_TRANSLATE_NOOP("Labels", "New"),
        "changing": QT_TRANSLATE_NOOP("Labels", "Being changed"),
        "closed": QT_TRANSLATE_NOOP("Labels", "Closed"),
        "active": QT_TRANSLATE_NOOP("Labels", "In service"),
        "removed": QT_TRANSLATE_NOOP("Labels", "Removed"),
    },
    "registers": {
        "total": QT_TRANSLATE_NOOP("Labels", "Single register"),
        "peak,valley": QT_TRANSLATE_NOOP("Labels", "Peak / valley"),
        "peak,flat,valley": QT_TRANSLATE_NOOP("Labels", "Peak / flat / valley"),
        "sharp,peak,flat,valley": QT_TRANSLATE_NOOP("Labels", "Sharp / peak / flat / valley"),
    },
    "channel": {
        "counter": QT_TRANSLATE_NOOP("Labels", "Counter"),
        "phone": QT_TRANSLATE_NOOP("Labels", "Phone"),
        "letter": QT_TRANSLATE_NOOP("Labels", "Letter"),
        "visit": QT_TRANSLATE_NOOP("Labels", "Visit"),
        "online": QT_TRANSLATE_NOOP("Labels", "Online"),
    },
    "contact_kind": {
        "inquiry": QT_TRANSLATE_NOOP("Labels", "Inquiry"),
        "payment": QT_TRANSLATE_NOOP("Labels", "Payment"),
        "application": QT_TRANSLATE_NOOP("Labels", "Application"),
        "complaint": QT_TRANSLATE_NOOP("Labels", "Complaint"),
        "opinion": QT_TRANSLATE_NOOP("Labels", "Opinion"),
        "fault": QT_TRANSLATE_NOOP("Labels", "Fault report"),
        "other": QT_TRANSLATE_NOOP("Labels", "Other"),
    },
    "role": {
        "clerk": QT_TRANSLATE_NOOP("Labels", "Clerk"),
        "supervisor": QT_TRANSLATE_NOOP("Labels", "Supervisor"),
        "admin": QT_TRANSLATE_NOOP("Labels", "Administrator"),
    },
}


def label(group: str, value: str) -> str:
    text = LABELS.get(group, {}).get(value)
    return QCoreApplication.translate(CTX, text) if text else value


def choices(group: str, values=None) -> list[tuple[str, str]]:
    table = LABELS[group]
    return [(v, label(group, v)) for v in (values if values is not None else table)]
