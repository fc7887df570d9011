"""The payment methods' names on paper: the one list in app.kernel.payment_methods (context "printing").
No ReportLab here, so the window can name them without loading the document code at start-up."""

from __future__ import annotations

from app.kernel.payment_methods import METHOD_LABELS, method_name

METHODS = METHOD_LABELS  # code -> English source text, translated in the "printing" context

__all__ = ["METHODS", "method_name"]
