"""The first-start wizard offscreen: a new station, joining the hall's PostgreSQL server (the real test
server), a station file from the centre; every field checked where it is typed; then the receipt printer."""

from __future__ import annotations

import tomllib

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from app.db.engine import Database
from app.db.migrate import upgrade
from app.services import auth
from app.services.counter.settings import settings_path
from app.views.first_start import FILE, PRINTER, SERVER, STATION, FirstStartWizard

pytestmark = pytest.mark.gui


def _wizard(qtbot, db) -> FirstStartWizard:
    w = FirstStartWizard(db)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def _type(qtbot, field, value: str) -> None:
    """Type into a field as the clerk does, and leave it (the field is checked then)."""
    field.clear()
    if value.isascii():
        qtbot.keyClicks(field, value)
    else:  # Chinese arrives from the input method as committed text (QTest types Latin-1 keys only)
        field.insert(value)
    field.editingFinished.emit()


def _error(form, name: str) -> str:
    label = form.errors[name]
    return label.text() if not label.isHidden() else ""


def _choose(qtbot, w, object_name: str, page: int) -> None:
    w.findChild(type(w.ways.button(STATION)), object_name).setChecked(True)
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentIndex() == page


def _toml() -> dict:
    return tomllib.loads(settings_path().read_text(encoding="utf-8"))


def test_a_new_station_with_every_field_checked_where_it_is_typed(qtbot, sqlite_db):
    w = _wizard(qtbot, sqlite_db)
    _choose(qtbot, w, "wayNewStation", STATION)
    f = w.station_form.fields
    _type(qtbot, f["station_code"], "33 01")
    assert "1 to 16 letters or digits" in _error(w.station_form, "station_code")
    assert _error(w.station_form, "station_name") == ""  # a field not yet reached says nothing
    _type(qtbot, f["station_code"], "3301")
    assert _error(w.station_form, "station_code") == ""
    _type(qtbot, f["station_name"], "城东营业厅")
    _type(qtbot, f["company"], "示范供电公司")
    _type(qtbot, f["hall_phone"], "95598 转 1")
    assert "digits" in _error(w.station_form, "hall_phone")
    _type(qtbot, f["hall_phone"], "0571-95598")
    _type(qtbot, f["login"], "ad min")
    assert "login name" in _error(w.station_form, "login")
    _type(qtbot, f["login"], "admin")
    _type(qtbot, f["name"], "管理员")
    _type(qtbot, f["password"], "abc")
    assert "at least 6" in _error(w.station_form, "password")
    _type(qtbot, f["password"], "secret123")
    _type(qtbot, f["password2"], "secret124")
    assert "differ" in _error(w.station_form, "password2")
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentIndex() == STATION and auth.needs_setup(sqlite_db)  # nothing saved half
    assert w.focusWidget() is f["password2"]
    _type(qtbot, f["password2"], "secret123")
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentIndex() == PRINTER and not auth.needs_setup(sqlite_db)
    assert not w.back_button.isEnabled()  # set up: there is no way back to the choice
    assert w.printer_form.fields["admin_login"].parentWidget().isHidden()  # the administrator is known
    p = w.printer_form
    p.fields["target"].setCurrentIndex(p.fields["target"].findData("escpos"))
    _type(qtbot, p.fields["device"], "printer please")
    assert _error(p, "device")
    p.fields["paper"].setCurrentIndex(p.fields["paper"].findData("a5"))
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.isVisible() and _error(p, "paper") and _error(p, "device")
    p.fields["paper"].setCurrentIndex(p.fields["paper"].findData("58mm"))
    _type(qtbot, p.fields["device"], "tcp://192.168.1.50:9100")
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.result() == w.DialogCode.Accepted
    assert _toml()["receipt_printer"] == {"target": "escpos", "paper": "58mm", "device": "tcp://192.168.1.50:9100", "mode": "text"}
    actor = auth.login(sqlite_db, "admin", "secret123")
    assert actor.role == "admin" and actor.station_code == "3301"
    with sqlite_db.read() as s:
        assert s.execute(text("SELECT company_name, hall_phone FROM stations")).one() == ("示范供电公司", "0571-95598")


def test_joining_the_halls_server_is_tried_before_it_is_saved(qtbot, sqlite_db, pg_db):
    from app.cli import build_parser
    from app.commands.common import database_url

    pg = pg_db.engine.url
    w = _wizard(qtbot, sqlite_db)
    _choose(qtbot, w, "wayJoinServer", SERVER)
    f = w.server_form.fields
    _type(qtbot, f["host"], "")
    assert "server's name or address" in _error(w.server_form, "host")
    _type(qtbot, f["host"], pg.host)
    _type(qtbot, f["port"], "99999")
    assert "1 to 65535" in _error(w.server_form, "port")
    _type(qtbot, f["port"], "1")  # nothing listens there
    _type(qtbot, f["database"], pg.database)
    _type(qtbot, f["user"], pg.username)
    assert not w.test_server()
    assert "does not answer" in _error(w.server_form, "port")
    _type(qtbot, f["port"], str(pg.port or 5432))
    _type(qtbot, f["database"], "no_such_database_here")
    assert not w.test_server() and "no database named" in _error(w.server_form, "database")
    _type(qtbot, f["database"], pg.database)
    # the server's store has no station yet (pg_db is emptied): said, and nothing saved
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentIndex() == SERVER and "no station yet" in w.message.text()
    assert not settings_path().exists()
    auth.initialize(pg_db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    # a server written by a newer CounterDesk is refused by its schema revision
    with pg_db.engine.begin() as conn:
        current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        conn.execute(text("UPDATE alembic_version SET version_num = '0999_future'"))
    try:
        assert not w.test_server() and "newer CounterDesk (schema 0999_future)" in w.message.text()
        with pg_db.engine.begin() as conn:  # and one at an older revision asks to update the other counters first
            conn.execute(text("UPDATE alembic_version SET version_num = '0001_foundation'"))
        assert not w.test_server() and f"schema 0001_foundation and this CounterDesk needs {current}" in w.message.text()
    finally:
        with pg_db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
    # the whole URL instead of the parts; a wrong one is said at the URL field
    _type(qtbot, f["url"], "mysql://u@h/db")
    assert "PostgreSQL" in _error(w.server_form, "url") and not f["host"].isEnabled()
    url = pg.render_as_string(hide_password=False)
    _type(qtbot, f["url"], url)
    assert w.test_server() and "1 stations and 1 clerks" in w.message.text()
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.stack.currentIndex() == PRINTER and w.db.is_postgresql
    assert _toml()["database"]["url"] == url
    assert database_url(build_parser(with_commands=False).parse_args([])) == url  # the next start opens the server
    # the printer is saved by an administrator of the server's store
    p = w.printer_form
    assert not p.fields["admin_login"].parentWidget().isHidden()
    _type(qtbot, p.fields["admin_login"], "admin")
    _type(qtbot, p.fields["admin_password"], "wrong")
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert "Wrong login name or password" in _error(p, "admin_password")
    _type(qtbot, p.fields["admin_password"], "admin123")
    qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
    assert w.result() == w.DialogCode.Accepted and w.actor.role == "admin"
    assert _toml()["receipt_printer"]["target"] == "preview" and _toml()["database"]["url"] == url
    w.db.dispose()


def test_a_station_file_from_the_centre(qtbot, sqlite_db, tmp_path):
    from app.services import customers as cs
    from app.services.sync import core, manage

    centre = sqlite_db
    cadmin = auth.initialize(centre, auth.StationInput("0000", "中心", "示范供电公司"), "cadmin", "中心管理员", "admin1234")
    core.init_centre(centre, cadmin)
    cid = cs.create_customer(centre, cadmin, cs.CustomerInput(name="张三丰", phone="13800000001"))
    from app.models import Station

    with centre.write() as s:
        s.add(Station(code="3501", name="北山站"))
    manage.assign_area(centre, cadmin, "3501", [cid])
    with centre.read() as s:
        from sqlalchemy import select

        sid = s.scalar(select(Station.id).where(Station.code == "3501"))
    auth.create_clerk(centre, cadmin, "zhanzhang", "站长", "admin5678", "admin", "7001", station_id=sid)
    provisioning = tmp_path / "3501.prov"
    manage.provision(centre, cadmin, "3501", "北山站", provisioning, "passphrase")
    station = Database(f"sqlite:///{tmp_path / 'station.sqlite'}")
    upgrade(station.engine)
    try:
        w = _wizard(qtbot, station)
        _choose(qtbot, w, "wayStationFile", FILE)
        qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
        assert "Choose the station file" in _error(w.file_form, "file")
        _type(qtbot, w.file_field, str(tmp_path / "missing.prov"))
        assert "cannot be read" in _error(w.file_form, "file")
        plain = tmp_path / "notes.txt"
        plain.write_text("not a station file", encoding="utf-8")
        _type(qtbot, w.file_field, str(plain))
        assert "not a station file" in _error(w.file_form, "file")
        _type(qtbot, w.file_field, str(provisioning))
        assert _error(w.file_form, "file") == ""
        _type(qtbot, w.file_form.fields["passphrase"], "wrong passphrase")
        qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
        assert "passphrase is wrong" in _error(w.file_form, "passphrase") and auth.needs_setup(station)
        _type(qtbot, w.file_form.fields["passphrase"], "passphrase")
        qtbot.mouseClick(w.next_button, Qt.MouseButton.LeftButton)
        assert w.stack.currentIndex() == PRINTER and "station 3501" in w.message.text()
        assert not auth.needs_setup(station)
        qtbot.mouseClick(w.skip_button, Qt.MouseButton.LeftButton)  # the printer later, under Tools
        assert w.result() == w.DialogCode.Accepted and not settings_path().exists()
        assert auth.login(station, "zhanzhang", "admin5678").station_code == "3501"
    finally:
        station.dispose()


def test_the_window_offers_the_wizard_only_on_an_empty_store(qtbot, tmp_path):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.cli import build_parser
    from app.main import start_window
    from app.views.login import LoginDialog

    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    seen = []

    def close_dialog():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(50, close_dialog)
            return
        seen.append(type(dialog))
        dialog.reject()

    QTimer.singleShot(50, close_dialog)
    assert start_window(build_parser().parse_args(["--db", url]), "en") is None and not start_window.failed
    assert seen == [FirstStartWizard]
    db = Database(url)
    auth.initialize(db, auth.StationInput("3301", "城东营业厅"), "admin", "管理员", "admin123")
    db.dispose()
    QTimer.singleShot(50, close_dialog)
    assert start_window(build_parser().parse_args(["--db", url]), "en") is None
    assert seen == [FirstStartWizard, LoginDialog]
