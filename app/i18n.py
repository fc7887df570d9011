"""Qt translations: zh_CN by default, English (the source language) with --lang en.

.ts sources live in resources/translations/, one per area; the .qm files are built
by scripts/i18n.py (never committed) and all loaded at start-up.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.paths import resource_path

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_installed: list[QTranslator] = []


def install(lang: str) -> list[str]:
    """Load every area's .qm for `lang`; returns the files loaded. English needs none."""
    for t in _installed:
        QCoreApplication.removeTranslator(t)
    _installed.clear()
    if lang == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded = []
    # Qt's own texts (OK/Cancel/Yes/No of QDialogButtonBox and QMessageBox, the
    # context menus of line edits) come from the qtbase catalogue shipped with PySide6.
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    base = QTranslator()
    if base.load(f"qtbase_{lang}", qt_folder):
        QCoreApplication.installTranslator(base)
        _installed.append(base)
        loaded.append(f"qtbase_{lang}.qm")
    folder = resource_path("translations")
    for qm in sorted(folder.glob(f"*_{lang}.qm")):
        t = QTranslator()
        if t.load(str(qm)):
            QCoreApplication.installTranslator(t)
            _installed.append(t)
            loaded.append(qm.name)
    return loaded


def tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def error_text(err) -> str:
    """A service UserError in the user's language, parameters filled in."""
    return err.text(translate=QCoreApplication.translate)
