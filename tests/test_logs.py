"""The log file for support: rotating, in the data folder, with tracebacks, and never a password or a full ID number."""

from __future__ import annotations

import logging
import sys

import pytest

from app.kernel import logs


@pytest.fixture
def log_file(_data_dir):
    path = logs.setup(_data_dir)
    yield path
    logs.close()


def test_masking_hides_passwords_and_id_numbers():
    text = logs.mask_text(
        "login admin password=secret123 passphrase: 'hunter22' url postgresql+psycopg://cd:S3cr%40t@10.0.0.5:5432/hall "
        'json {"password": "abc123"} id 11010519491231002X old 110105491231002 account 3301000001 phone 13812345678'
    )
    for secret in ("secret123", "hunter22", "S3cr%40t", "abc123", "11010519491231002X", "110105491231002"):
        assert secret not in text, (secret, text)
    assert "110105********002X" in text and "110105*****1002" in text
    assert "cd:***@10.0.0.5" in text and "password=***" in text
    assert "3301000001" in text and "13812345678" in text  # account numbers and phones are not ID numbers


def test_the_log_file_keeps_tracebacks_masked_and_rotates(log_file):
    log = logging.getLogger("app.test")
    try:
        raise ValueError("customer 11010519491231002X has password=letmein")
    except ValueError:
        log.exception("saving %s failed", "11010519491231002X")
    log.warning("printer %s: %r", "/dev/usb/lp0", OSError(5, "Input/output error"))
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, logging.handlers.RotatingFileHandler))
    handler.flush()
    content = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in content and "ValueError: customer 110105********002X has password=***" in content
    assert "saving 110105********002X failed" in content and "printer /dev/usb/lp0" in content
    assert "11010519491231002X" not in content and "letmein" not in content
    assert handler.maxBytes == logs.MAX_BYTES and handler.backupCount == logs.BACKUP_COUNT
    assert logs.setup(log_file.parent) == log_file  # once per process: no second handler
    assert sum(isinstance(h, logging.handlers.RotatingFileHandler) for h in logging.getLogger().handlers) == 1


def test_an_unexpected_error_in_the_window_is_logged_and_said_to_the_clerk(qtbot, _data_dir, monkeypatch):
    from argparse import Namespace

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.main import _start_log

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # the hook is put back after the test
    _start_log(Namespace(db=None, demo=False))
    seen = []

    def close_box():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(50, close_box)

    QTimer.singleShot(50, close_box)
    try:
        raise RuntimeError("the ID 11010519491231002X broke it")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    logs.close()
    content = logs.log_path(_data_dir).read_text(encoding="utf-8")
    assert seen and "log file" in seen[0] and str(logs.log_path(_data_dir)) in seen[0] and "Traceback" not in seen[0]
    assert (
        "start: CounterDesk" in content and "CRITICAL app.main" in content and "RuntimeError: the ID 110105********002X broke it" in content
    )
