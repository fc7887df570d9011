"""Marks user-facing service strings for Qt's lupdate without importing Qt.

Services raise errors whose text is an English source string in the "messages"
context; the views (and the CLI) translate it with QCoreApplication.translate and
then fill in the parameters with str.format.
"""

CONTEXT = "messages"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802  (name lupdate looks for)
    return text


def N_(text: str) -> str:
    """Shorthand callers can't use with lupdate; prefer QT_TRANSLATE_NOOP("messages", ...)."""
    return text
