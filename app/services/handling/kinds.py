"""The vocabulary of matter kinds: everything the program knows about a kind of matter, in one entry.

A kind's entry says how it is named (the label, English source text in the "printing" context,
used by the screen, the receipt and the checklists), which kind of contact record its registration
files in the customer's contact list, whether it is closed only after a call-back to the customer
(回访), whether it may be answered and closed at once at the counter, the names of the scopes its
time limit may have (the scopes themselves and their rules are in the time-limit file), and what the
receipt promises ("We promise an answer by", "A repair crew will be with you by").

A complaint also has sub-kinds (complaint_types), a severity and repeat counting: those are fields
of the entry too, so no code asks "is this a complaint?".

Adding a kind is one entry in KINDS plus its time limit in resources/handling/time_limits.toml (see
docs/HANDLING.md). Every place that lists, names or branches on matter kinds reads this module;
look kinds up through `get()`/`names()` at call time (never copy KINDS into a module-level tuple),
so that a changed vocabulary counts everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.kernel.errors import ValidationError
from app.kernel.messages import QT_TRANSLATE_NOOP

LABEL_CONTEXT = "printing"  # the context of every label and wording below

# What the receipt promises by the deadline (a kind's `promise`)
PROMISE_ANSWER = QT_TRANSLATE_NOOP("printing", "We promise an answer by")
PROMISE_ARRIVAL = QT_TRANSLATE_NOOP("printing", "A repair crew will be with you by")

# Complaint sub-kinds and severities (a kind with complaint_types / severities uses these names)
COMPLAINT_TYPES = {
    "service": QT_TRANSLATE_NOOP("printing", "service conduct"),
    "business": QT_TRANSLATE_NOOP("printing", "business / billing"),
    "outage": QT_TRANSLATE_NOOP("printing", "outage"),
    "quality": QT_TRANSLATE_NOOP("printing", "supply quality"),
    "construction": QT_TRANSLATE_NOOP("printing", "grid construction"),
}
SEVERITIES = {
    "general": QT_TRANSLATE_NOOP("printing", "general"),
    "important": QT_TRANSLATE_NOOP("printing", "important"),
    "major": QT_TRANSLATE_NOOP("printing", "major"),
    "special": QT_TRANSLATE_NOOP("printing", "special"),
}

# The kinds of contact record (the customer's contact list; F7 offers them too)
CONTACT_KINDS = ("inquiry", "payment", "application", "complaint", "opinion", "fault", "other")


@dataclass(frozen=True)
class MatterKind:
    name: str  # stored in matters.type
    label: str  # English source text, context LABEL_CONTEXT
    contact_kind: str  # the contact record its registration (and its first contact) files: one of CONTACT_KINDS
    call_back: bool = False  # closed only after a call-back to the customer (回访)
    answer_at_once: bool = False  # may be answered and closed at once ("Answer and close…")
    scopes: dict[str, str] = field(default_factory=dict)  # names of its time limit's scopes -> label (context LABEL_CONTEXT)
    promise: str = PROMISE_ANSWER  # the receipt's wording of the deadline line
    application: bool = False  # an application for a service (业务受理): has a one-time notice (checklists.toml)
    complaint_types: tuple[str, ...] = ()  # sub-kinds the clerk must choose from (keys of COMPLAINT_TYPES)
    severities: bool = False  # its time limit depends on a severity (time_limits.toml [complaint_severity])
    repeats: bool = False  # same sub-kind by the same customer or account within the window counts as a repeat


def _application(name: str, label: str) -> MatterKind:
    return MatterKind(name, label, "application", application=True)


KINDS: dict[str, MatterKind] = {
    k.name: k
    for k in (
        MatterKind(
            "new_connection",
            QT_TRANSLATE_NOOP("printing", "New connection"),
            "application",
            application=True,
            scopes={
                "residential": QT_TRANSLATE_NOOP("printing", "residential"),
                "lv_non_residential": QT_TRANSLATE_NOOP("printing", "low-voltage non-residential"),
                "hv_single": QT_TRANSLATE_NOOP("printing", "high-voltage, single source"),
                "hv_dual": QT_TRANSLATE_NOOP("printing", "high-voltage, dual source"),
            },
        ),
        _application("capacity_increase", QT_TRANSLATE_NOOP("printing", "Capacity increase")),
        _application("name_transfer", QT_TRANSLATE_NOOP("printing", "Name transfer")),
        _application("tariff_change", QT_TRANSLATE_NOOP("printing", "Tariff change")),
        _application("temporary_supply", QT_TRANSLATE_NOOP("printing", "Temporary supply")),
        _application("closure", QT_TRANSLATE_NOOP("printing", "Account closure")),
        _application("meter_check", QT_TRANSLATE_NOOP("printing", "Meter check")),
        _application("reconnection", QT_TRANSLATE_NOOP("printing", "Reconnection")),
        MatterKind(
            "fault",
            QT_TRANSLATE_NOOP("printing", "Fault report"),
            "fault",
            promise=PROMISE_ARRIVAL,
            scopes={
                "urban": QT_TRANSLATE_NOOP("printing", "urban"),
                "rural": QT_TRANSLATE_NOOP("printing", "rural"),
                "remote": QT_TRANSLATE_NOOP("printing", "remote area"),
            },
        ),
        MatterKind("inquiry", QT_TRANSLATE_NOOP("printing", "Inquiry"), "inquiry", answer_at_once=True),
        MatterKind("opinion", QT_TRANSLATE_NOOP("printing", "Opinion"), "opinion"),
        MatterKind("suggestion", QT_TRANSLATE_NOOP("printing", "Suggestion"), "other"),
        MatterKind("praise", QT_TRANSLATE_NOOP("printing", "Praise"), "other"),
        MatterKind("misconduct", QT_TRANSLATE_NOOP("printing", "Misconduct report"), "other", call_back=True),
        MatterKind(
            "complaint",
            QT_TRANSLATE_NOOP("printing", "Complaint"),
            "complaint",
            call_back=True,
            complaint_types=tuple(COMPLAINT_TYPES),
            severities=True,
            repeats=True,
        ),
    )
}


def names() -> tuple[str, ...]:
    """Every kind, in the vocabulary's order (the F6 list, the data files' allowed keys)."""
    return tuple(KINDS)


def find(name: str) -> MatterKind | None:
    return KINDS.get(name)


def get(name: str) -> MatterKind:
    """The kind, or a ValidationError at the field "type"."""
    kind = KINDS.get(name)
    if kind is None:
        raise ValidationError.single("type", QT_TRANSLATE_NOOP("messages", "Unknown matter type “{type}”."), type=name)
    return kind


def applications() -> tuple[str, ...]:
    return tuple(k.name for k in KINDS.values() if k.application)


def label_source(key: str) -> str | None:
    """The English source of a kind's, complaint sub-kind's or severity's label (context LABEL_CONTEXT)."""
    kind = KINDS.get(key)
    if kind is not None:
        return kind.label
    return COMPLAINT_TYPES.get(key) or SEVERITIES.get(key)


def word(key: str, translate) -> str:
    """A kind, complaint sub-kind or severity in the reader's language; translate(context, text) is Qt's
    or the printing/command-line translator. An unknown key is shown as it is."""
    text = label_source(key)
    return translate(LABEL_CONTEXT, text) if text else key


def scope_source(matter_type: str, scope: str) -> str | None:
    kind = KINDS.get(matter_type)
    return kind.scopes.get(scope) if kind else None
