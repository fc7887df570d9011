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
        # A message is about what was typed: once the clerk changes that field, its message goes.
        changed = (
            widget.textEdited
            if isinstance(widget, QLineEdit)
            else widget.currentIndexChanged
            if isinstance(widget, QComboBox)
            else widget.textChanged
            if isinstance(widget, QPlainTextEdit)
            else None
        )
        if changed is not None:
            changed.connect(lambda *_a, n=name: self.clear_error(n))
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

    def clear_error(self, name: str) -> None:
        label = self.errors[name]
        if label.isHidden() and not label.text() and not self.fields[name].property("invalid"):
            return
        label.hide()
        label.clear()
        self.fields[name].setProperty("invalid", False)
        self._restyle(self.fields[name])

    def clear_errors(self) -> None:
        for name in self.errors:
            self.clear_error(name)

    def show_errors(self, errors: dict) -> bool:
        """Mark the fields named in `errors`, give the keyboard to the first of them on the form, and
        make the window tall enough for the messages; False when none of them is on this form."""
        self.clear_errors()
        marked = [name for name in self.fields if name in errors]  # in the order of the form
        for name in marked:
            self.errors[name].setText(error_text(errors[name]))
            self.errors[name].show()
            self.fields[name].setProperty("invalid", True)
            self._restyle(self.fields[name])
        if not marked:
            return False
        first = self.fields[marked[0]]
        first.setFocus()
        if isinstance(first, QLineEdit):
            first.selectAll()
        self.fit_window()
        return True

    def fit_window(self) -> None:
        """Grow the dialog so every (wrapped) message line shows whole, never cut at top or bottom."""
        top = self.window()
        layout = top.layout()
        if top is self or layout is None:
            return
        layout.activate()
        width = max(top.width(), top.sizeHint().width())
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
        height = max(height, top.minimumSizeHint().height())
        if top.height() < height or top.width() < width:
            top.resize(width, max(top.height(), height))

    @staticmethod
    def _restyle(w: QWidget) -> None:
        w.style().unpolish(w)
        w.style().polish(w)
