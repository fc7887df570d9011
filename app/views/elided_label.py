"""A label that gives up width first: it asks for its whole text but, when the row is too narrow,
shows the start of it with "…" (the whole text stays in the tooltip). Used in the status bar so
that the plug-ins' items keep their full text at 1366 px and the core items shorten instead."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QStyle, QStyleOption


class ElidedLabel(QLabel):
    MIN_CHARS = 4  # never narrower than about this many characters

    def __init__(self, text: str = "", parent=None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        full = super().minimumSizeHint()
        m = self.contentsMargins()
        narrow = self.fontMetrics().horizontalAdvance("M" * self.MIN_CHARS) + m.left() + m.right()
        return QSize(min(full.width(), narrow), full.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width())

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        opt = QStyleOption()
        opt.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, opt, painter, self)
        self.style().drawItemText(
            painter, self.contentsRect(), int(self.alignment()), self.palette(), self.isEnabled(), self.shown_text(), self.foregroundRole()
        )
