"""The sync commands end to end on two SQLite stores (a centre and a station), in both languages."""

from __future__ import annotations

import json
import os

from app.cli import main
from tests.cliauth import as_, password_file


def _passfile(tmp_path, text: str) -> str:
    path = tmp_path / f"pass-{abs(hash(text))}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    os.chmod(path, 0o600)
    return str(path)


def test_centre_provision_station_export_import_conflicts(tmp_path, capsys):
    centre = f"sqlite:///{tmp_path / 'centre.sqlite'}"
    station = f"sqlite:///{tmp_path / 'station.sqlite'}"
    assert main(["--db", centre, "init", "--admin", "admin", "--password-file", password_file("admin123"), "--station-code", "0000"]) == 0
    assert main(["--db", centre, "sync", "centre-init", *as_("admin")]) == 0
    prov = tmp_path / "station.prov"
    pf = _passfile(tmp_path, "long passphrase")
    assert (
        main(
            [
                "--db",
                centre,
                "sync",
                "provision",
                "--station",
                "3701",
                "--name",
                "东山站",
                "--out",
                str(prov),
                "--passphrase-file",
                pf,
                *as_("admin"),
            ]
        )
        == 0
    )
    assert b"private" not in prov.read_bytes() and prov.read_bytes().startswith(b"COUNTERDESK-SEALED")
    # A clerk of the new station, then the station's file again (a new key: the first one no longer signs).
    from sqlalchemy import select

    from app.db.engine import Database
    from app.models import Station
    from app.services import auth

    db = Database(centre)
    with db.read() as s:
        sid = s.scalar(select(Station.id).where(Station.code == "3701"))
    auth.create_clerk(db, auth.get_actor(db, "admin"), "li", "李四", "clerk1234", "clerk", "3001", station_id=sid)
    db.dispose()
    assert main(["--db", centre, "sync", "provision", "--station", "3701", "--out", str(prov), "--passphrase-file", pf, *as_("admin")]) == 0
    capsys.readouterr()
    # A wrong passphrase sets nothing up; the right one makes the empty store the station.
    assert main(["--db", station, "--lang", "en", "sync", "import", str(prov), "--passphrase-file", _passfile(tmp_path, "wrong one")]) == 2
    assert "passphrase is wrong" in capsys.readouterr().err
    assert main(["--db", station, "--lang", "en", "sync", "import", str(prov), "--passphrase-file", pf]) == 0
    assert "now station 3701" in capsys.readouterr().out
    assert main(["--db", station, "sync", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["role"] == "station" and status["waiting"] == 0
    up = tmp_path / "up.cdsync"
    assert main(["--db", station, "--lang", "en", "sync", "export", "--out", str(up)]) == 0
    assert main(["--db", centre, "--lang", "en", "sync", "import", str(up)]) == 0
    assert "applied before" in capsys.readouterr().out  # nothing done at the station yet: nothing to apply
    assert main(["--db", station, "shift", "open", *as_("li", "clerk1234")]) == 0
    capsys.readouterr()
    assert main(["--db", station, "sync", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["waiting"] >= 1
    assert main(["--db", station, "--lang", "en", "sync", "export", "--out", str(up)]) == 0
    assert main(["--db", centre, "--lang", "en", "sync", "import", str(up)]) == 0
    assert "Applied" in capsys.readouterr().out
    # The same bundle bit-flipped: refused in Chinese by default, exit 2.
    data = bytearray(up.read_bytes())
    data[-5] ^= 4
    bad = tmp_path / "bad.cdsync"
    bad.write_bytes(bytes(data))
    assert main(["--db", centre, "--lang", "zh_CN", "sync", "import", str(bad)]) == 2
    assert "已损坏" in capsys.readouterr().err
    down = tmp_path / "down.cdsync"
    assert main(["--db", centre, "--lang", "en", "sync", "export", "--station", "3701", "--out", str(down)]) == 0
    assert main(["--db", station, "--lang", "en", "sync", "import", str(down)]) == 0
    assert "confirmed" in capsys.readouterr().out
    assert main(["--db", centre, "sync", "conflicts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    # An unwritable destination: a message, and the outbox stays.
    assert main(["--db", station, "--lang", "en", "sync", "export", "--out", str(tmp_path / "no" / "such" / "dir.cdsync")]) == 2
    assert "cannot be written" in capsys.readouterr().err
