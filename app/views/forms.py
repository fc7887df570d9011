"""Form helpers: a label, an input and an error line under it; service errors shown at the field."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from app.i18n import error_text


class FieldForm(QWidget):
    """Fields by name; show_errors({name: UserError}) marks each field and writes the reason under it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        holder = QWidget(self)
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(1)
        widget.setObjectName(f"field_{name}")
        box.addWidget(widget)
        err = QLabel(holder)
        err.setObjectName(f"error_{name}")
        err.setProperty("role", "fieldError")
        err.setWordWrap(True)
        err.hide()
        box.addWidget(err)
        self.layout_.addRow(label, holder)
        self.fields[name] = widget
        self.errors[name] = err
        return widget

    def line(self, name: str, label: str, text: str = "", max_len: int = 200) -> QLineEdit:
        w = QLineEdit(text)
        w.setMaxLength(max_len)
        return self.add(name, label, w)

    def combo(self, name: str, label: str, choices: list[tuple[str, str]], current: str = "") -> QComboBox:
        w = QComboBox()
        for value, shown in choices:
            w.addItem(shown, value)
        i = w.findData(current)
        w.setCurrentIndex(max(i, 0))
        return self.add(name, label, w)

    def text(self, name: str, label: str, text: str = "") -> QPlainTextEdit:
        w = QPlainTextEdit(text)
        w.setTabChangesFocus(True)
        w.setMaximumHeight(80)
        return self.add(name, label, w)

    def value(self, name: str) -> str:
        w = self.fields[name]
        if isinstance(w, QComboBox):
            return w.currentData() or ""
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        return w.text()

    def clear_errors(self) -> None:
        for name, label in self.errors.items():
            label.hide()
            label.clear()
            self.fields[name].setProperty("invalid", False)
            self._restyle(self.fields[name])

    def show_errors(self, errors: dict) -> bool:
        """Mark the fields named in `errors`; False when none of them is on this form."""
        self.clear_errors()
        first = None
        for name, err in errors.items():
            if name not in self.fields:
                continue
            self.errors[name].setText(error_text(err))
            self.errors[name].show()
            self.fields[name].setProperty("invalid", True)
            self._restyle(self.fields[name])
            first = first or self.fields[name]
        if first is not None:
            first.setFocus()
        return first is not None

    @staticmethod
    def _restyle(w: QWidget) -> None:
        w.style().unpolish(w)
        w.style().polish(w)
