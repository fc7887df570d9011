"""Display names of matter states, timings, queues and actions; kinds are named by the vocabulary (kinds.word)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.kernel.messages import QT_TRANSLATE_NOOP
from app.services.handling import kinds

STATES = {
    "registered": QT_TRANSLATE_NOOP("Matters", "Registered"),
    "in_progress": QT_TRANSLATE_NOOP("Matters", "In progress"),
    "resolved": QT_TRANSLATE_NOOP("Matters", "Resolved"),
    "replied": QT_TRANSLATE_NOOP("Matters", "Replied"),
    "called_back": QT_TRANSLATE_NOOP("Matters", "Called back"),
    "closed": QT_TRANSLATE_NOOP("Matters", "Closed"),
}
TIMING = {
    "on_time": QT_TRANSLATE_NOOP("Matters", "On time"),
    "due_soon": QT_TRANSLATE_NOOP("Matters", "Due soon"),
    "overdue": QT_TRANSLATE_NOOP("Matters", "OVERDUE"),
    "contact_due": QT_TRANSLATE_NOOP("Matters", "Contact customer"),
    "contact_overdue": QT_TRANSLATE_NOOP("Matters", "CONTACT OVERDUE"),
    "closed": QT_TRANSLATE_NOOP("Matters", "Closed"),
}
QUEUE_NAMES = {
    "mine": QT_TRANSLATE_NOOP("Matters", "My matters"),
    "assigned": QT_TRANSLATE_NOOP("Matters", "Assigned to me"),
    "due_soon": QT_TRANSLATE_NOOP("Matters", "Due soon"),
    "overdue": QT_TRANSLATE_NOOP("Matters", "Overdue"),
    "hall": QT_TRANSLATE_NOOP("Matters", "Hall queue"),
}
ACTIONS = {
    "contact": QT_TRANSLATE_NOOP("Matters", "Customer contacted…"),
    "start": QT_TRANSLATE_NOOP("Matters", "Start"),
    "resolve": QT_TRANSLATE_NOOP("Matters", "Resolved…"),
    "reply": QT_TRANSLATE_NOOP("Matters", "Reply to customer…"),
    "call_back": QT_TRANSLATE_NOOP("Matters", "Call-back…"),
    "close": QT_TRANSLATE_NOOP("Matters", "Close"),
    "answer_and_close": QT_TRANSLATE_NOOP("Matters", "Answer and close…"),
    "transfer": QT_TRANSLATE_NOOP("Matters", "Transfer…"),
    "remind": QT_TRANSLATE_NOOP("Matters", "Remind (催办)…"),
    "register": QT_TRANSLATE_NOOP("Matters", "Registered"),
    "reopen": QT_TRANSLATE_NOOP("Matters", "Reopened"),
    "escalate": QT_TRANSLATE_NOOP("Matters", "Escalated"),
    "note": QT_TRANSLATE_NOOP("Matters", "Note"),
    "print": QT_TRANSLATE_NOOP("Matters", "Printed"),
}


def tr(table: dict, key: str) -> str:
    text = table.get(key)
    return QCoreApplication.translate("Matters", text) if text else key


def type_name(key: str) -> str:
    """A matter kind, complaint sub-kind or severity in the clerk's language (from the vocabulary of kinds)."""
    return kinds.word(key, QCoreApplication.translate)


MATTER_HEADERS = (
    QT_TRANSLATE_NOOP("Matters", "Matter no."),
    QT_TRANSLATE_NOOP("Matters", "Type"),
    QT_TRANSLATE_NOOP("Matters", "Customer"),
    QT_TRANSLATE_NOOP("Matters", "State"),
    QT_TRANSLATE_NOOP("Matters", "Deadline"),
    QT_TRANSLATE_NOOP("Matters", "Timing"),
    QT_TRANSLATE_NOOP("Matters", "Assignee"),
)
REPEAT = QT_TRANSLATE_NOOP("Matters", " (repeat %1)")
