"""Packaging, checked here without building anything (the builds are packaging/test-deb.sh and the Windows
workflow): the one PyInstaller spec names the entry point and puts resources/ and the migrations where
app/paths.py looks for them in a frozen program; the shipped files are found through app/paths.py alone,
frozen or not; the Inno Setup script, the workflow and the Debian build agree with the spec and keep data."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app import paths

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "counterdesk.spec"
ISS = ROOT / "packaging" / "windows" / "counterdesk.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def _spec_tree() -> ast.Module:
    return ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))


def _calls(tree: ast.Module, name: str) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == name]


def _path_parts(node: ast.AST) -> list[str]:
    """The string pieces of an expression like `ROOT / "packaging" / "entry.py"`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.BinOp):
        return _path_parts(node.left) + _path_parts(node.right)
    if isinstance(node, ast.Call) and len(node.args) == 1:  # str(...)
        return _path_parts(node.args[0])
    return []


def _keyword(call: ast.Call, name: str):
    return next((ast.literal_eval(k.value) for k in call.keywords if k.arg == name and isinstance(k.value, ast.Constant)), None)


def _spec_datas() -> dict[str, list[str]]:
    """Destination in the bundle -> the source's path pieces, for the (source, destination) pairs of `datas`."""
    found = {}
    for node in ast.walk(_spec_tree()):
        if isinstance(node, ast.Tuple) and len(node.elts) == 2 and isinstance(node.elts[1], ast.Constant):
            found[node.elts[1].value] = _path_parts(node.elts[0])
    return found


def test_the_spec_parses_and_starts_the_command_line_entry_point():
    tree = _spec_tree()
    (analysis,) = _calls(tree, "Analysis")
    scripts = analysis.args[0]
    assert isinstance(scripts, ast.List) and len(scripts.elts) == 1
    entry = scripts.elts[0]
    if isinstance(entry, ast.Call):  # str(ENTRY)
        entry = entry.args[0]
    assigned = {t.id: n.value for n in ast.walk(tree) if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    parts = _path_parts(assigned[entry.id] if isinstance(entry, ast.Name) else entry)
    assert parts == ["packaging", "entry.py"]
    entry_file = ROOT.joinpath(*parts)
    # The entry point is the console script's function (pyproject.toml) and nothing else.
    entry_tree = ast.parse(entry_file.read_text(encoding="utf-8"))
    imports = [(n.module, [a.name for a in n.names]) for n in ast.walk(entry_tree) if isinstance(n, ast.ImportFrom)]
    assert ("app.cli", ["main"]) in imports
    assert 'counterdesk = "app.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # onedir: the executables exclude the binaries and COLLECT gathers them into one folder named counterdesk
    exes = _calls(tree, "EXE")
    assert exes and all(_keyword(e, "exclude_binaries") is True for e in exes)
    assert {_keyword(e, "name") for e in exes} == {"counterdesk", "counterdeskw"}
    (collect,) = _calls(tree, "COLLECT")
    assert _keyword(collect, "name") == "counterdesk"


def test_the_spec_ships_resources_and_migrations_where_the_path_helper_looks(tmp_path, monkeypatch):
    datas = _spec_datas()
    assert datas["resources"] == ["resources"]
    assert datas["app/db/migrations"] == ["app", "db", "migrations"]
    # A frozen program (PyInstaller sets sys.frozen and sys._MEIPASS, the bundle's _internal folder):
    bundle = tmp_path / "_internal"
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.program_dir() == bundle
    assert paths.resources_dir() == bundle / "resources"
    assert paths.migrations_dir() == bundle.joinpath(*"app/db/migrations".split("/"))
    assert paths.resource_path("translations") == bundle / "resources" / "translations"


def test_shipped_files_are_found_through_the_path_helper_frozen_and_not(tmp_path, monkeypatch):
    """The same program code finds the shipped tariffs, translations and migrations in a checkout and in a
    bundle laid out as the spec lays it out (resources/ and app/db/migrations/ under _internal)."""
    from app.db.migrate import head_from_files
    from app.services.billing.tariffs import shipped_files as shipped_tariff_files

    unfrozen_head = head_from_files()
    unfrozen_tariffs = [p.name for p in shipped_tariff_files()]
    assert paths.resources_dir() == ROOT / "resources" and unfrozen_tariffs

    bundle = tmp_path / "_internal"
    (bundle / "app" / "db").mkdir(parents=True)
    (bundle / "resources").symlink_to(ROOT / "resources", target_is_directory=True)
    (bundle / "app" / "db" / "migrations").symlink_to(ROOT / "app" / "db" / "migrations", target_is_directory=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert [p.name for p in shipped_tariff_files()] == unfrozen_tariffs
    assert all(str(p).startswith(str(bundle)) for p in shipped_tariff_files())
    assert head_from_files() == unfrozen_head

    # an empty bundle: nothing is found from the checkout behind the helper's back
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "empty"), raising=False)
    assert shipped_tariff_files() == []


def test_no_code_locates_shipped_files_but_the_path_helper():
    """`__file__` is how a checkout finds its files; only app/paths.py may turn it into a path."""
    offenders = []
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]:
        if path == ROOT / "app" / "paths.py" or "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if re.search(r"Path\(__file__\)|os\.path\.\w+\(__file__\)", line):
                offenders.append(f"{path.relative_to(ROOT)}: {line.strip()}")
    assert offenders == []


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    import app

    out = subprocess.run([sys.executable, "-m", "app.cli", "--version"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == f"counterdesk {version('counterdesk')}" == f"counterdesk {app.version()}"
    assert not hasattr(app, "__version__")  # no second place to forget


def _iss() -> tuple[str, dict[str, list[str]]]:
    text = ISS.read_text(encoding="utf-8-sig")
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            current = stripped[1:-1]
            sections[current] = []
        elif current and stripped and not stripped.startswith(";"):
            sections[current].append(stripped)
    return text, sections


def test_inno_setup_script_installs_the_spec_bundle_per_machine_and_keeps_data():
    text, sections = _iss()
    setup = dict(line.split("=", 1) for line in sections["Setup"])
    assert setup["PrivilegesRequired"] == "admin"  # per machine
    assert setup["DefaultDirName"] == r"{autopf}\CounterDesk"
    assert setup["MinVersion"] == "10.0"
    # the bundle is the spec's COLLECT folder, dist\counterdesk
    assert re.search(r'#define Bundle "\.\.\\\.\.\\dist\\counterdesk"', text)
    assert any(line.startswith('Source: "{#Bundle}\\*"') and "recursesubdirs" in line for line in sections["Files"])
    # Start-menu and desktop shortcuts start the windowed program the spec builds on Windows
    icons = sections["Icons"]
    assert any(line.startswith('Name: "{autoprograms}\\') and r'Filename: "{app}\counterdeskw.exe"' in line for line in icons)
    assert any(line.startswith('Name: "{autodesktop}\\') and r'Filename: "{app}\counterdeskw.exe"' in line for line in icons)
    assert all("营业厅柜台" in line for line in icons)
    # data in %LOCALAPPDATA%\CounterDesk (app/paths.py: platformdirs, no author folder), never deleted
    assert paths.APP_NAME == "CounterDesk"
    assert rf"%LOCALAPPDATA%\{paths.APP_NAME}" in text
    assert not any("localappdata" in line.lower() or "userappdata" in line.lower() for line in sections.get("UninstallDelete", []))
    assert "Windows 7" in dict(line.split("=", 1) for line in sections["Messages"])["WinVersionTooLowError"]
    # the icon the spec draws
    assert r"build\pyinstaller\counterdesk\icons\counterdesk.ico" in text  # the spec's workpath is build/pyinstaller/<spec>


def test_windows_workflow_builds_tests_and_smoke_tests():
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = flow["jobs"].values()
    assert job["runs-on"].startswith("windows")
    assert job["env"]["QT_QPA_PLATFORM"] == "offscreen"
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "pytest" in runs
    assert "packaging/counterdesk.spec" in runs
    assert r"packaging\windows\counterdesk.iss" in runs
    assert "packaging/windows/smoke.ps1" in runs
    smoke = (ROOT / "packaging" / "windows" / "smoke.ps1").read_text(encoding="utf-8")
    for needle in ("--version", "init --admin", "COUNTERDESK_EXIT_WHEN_READY", "unins000.exe", "LOCALAPPDATA"):
        assert needle in smoke


def test_debian_package_keeps_data_and_declares_the_font():
    script = (ROOT / "packaging" / "build-deb.sh").read_text(encoding="utf-8")
    assert "packaging/counterdesk.spec" in script
    assert "dpkg --print-architecture" in script
    assert "Name[zh_CN]=营业厅柜台" in script
    # the font app/printing/fonts.py and app/views/window_font.py take first
    from app.printing import fonts

    assert fonts._SYSTEM_CANDIDATES[0][0].endswith("wqy-microhei.ttc")
    assert "fonts-wqy-microhei | fonts-wqy-zenhei" in script
    postrm = script.split('cat >"$stage/DEBIAN/postrm"', 1)[1].split("EOF", 2)[1]
    assert "rm " not in postrm and ".local/share" not in postrm.replace("(~/.local/share/CounterDesk)", "")


@pytest.mark.parametrize("doc", ["README.md", "docs/INSTALL.md"])
def test_windows_7_is_said_to_be_unsupported(doc):
    assert "Windows 7" in (ROOT / doc).read_text(encoding="utf-8")
