"""Only a missing file is a new store: an empty or unreadable store is damage, said as such, and nothing
is created in its place (before, a 0-byte store became a new empty store whose log verified as intact)."""

from __future__ import annotations

import pytest

from app.cli import main


@pytest.mark.parametrize(
    "content, said", [(b"", "is an empty file (0 bytes)"), (b"PK\x03\x04 a zip file, not a store" * 10, "does not begin like one")]
)
def test_an_empty_or_foreign_store_is_damage_not_a_new_store(tmp_path, capsys, content, said):
    store = tmp_path / "counterdesk.sqlite"
    store.write_bytes(content)
    for command in (["audit", "verify"], ["check"], ["settings", "list"]):
        assert main(["--db", f"sqlite:///{store}", "--lang", "en", *command]) == 2
        err = capsys.readouterr().err
        assert said in err and "Nothing was changed" in err
    assert store.read_bytes() == content  # untouched: nothing was created in its place
    assert not (tmp_path / "counterdesk.sqlite-wal").exists()


def test_a_missing_file_is_a_new_store(tmp_path, capsys):
    store = tmp_path / "new.sqlite"
    assert main(["--db", f"sqlite:///{store}", "--lang", "en", "audit", "verify"]) == 0
    assert "audit log intact: 0 entries" in capsys.readouterr().out and store.stat().st_size > 0
    assert main(["--db", f"sqlite:///{store}", "--lang", "en", "audit", "verify"]) == 0  # and opens again


def test_the_window_is_refused_an_empty_store_too(tmp_path):
    """The window opens its store through the same open_database, and shows a StorageError's text."""
    import argparse

    from app.commands.common import open_database
    from app.kernel.errors import StorageError

    store = tmp_path / "counterdesk.sqlite"
    store.write_bytes(b"")
    with pytest.raises(StorageError) as err:
        open_database(argparse.Namespace(db=f"sqlite:///{store}", demo=False, data_dir=None, lang="en"))
    assert "empty file" in err.value.message and store.stat().st_size == 0
