"""The `counterdesk` command: no subcommand starts the window; subcommands run the same services.

Each area registers its subcommands in its own module under app/commands/ (a
`register(subparsers)` function); add the module's name to COMMAND_MODULES.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from app.commands.common import CliError, apply_environment, check_data_dir, close_databases, global_options, refuse_password_in_arguments
from app.kernel import startup_trace

COMMAND_MODULES = [
    "app.commands.core",
    "app.commands.search",
    "app.commands.billing",
    "app.commands.payments",
    "app.commands.handling",
    "app.commands.reports",
    "app.commands.sync",
    "app.commands.integrity",
    "app.commands.notices",
    "app.commands.reconcile",
    "app.commands.interfaces",
    "app.commands.backups",
    "app.commands.bench",
]


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="counterdesk", description="CounterDesk: utility service counter")
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    global_options(parser)
    if with_commands:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name in COMMAND_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue  # area not built yet
                raise
            module.register(sub)
    return parser


class _VersionAction(argparse.Action):
    """`counterdesk --version`: the package metadata is read only when asked."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        from app import version

        print(f"counterdesk {version()}")
        parser.exit()


def _has_subcommand(argv: list[str]) -> bool:
    skip_next = False
    for arg in argv:
        if skip_next:
            skip_next = False
            continue
        if arg in ("--db", "--lang", "--data-dir"):
            skip_next = True
            continue
        if arg in ("-h", "--help"):
            return True
        if not arg.startswith("-"):
            return True
    return False


def _cli_translate(lang: str) -> None:
    from PySide6.QtCore import QCoreApplication

    from app import i18n

    if QCoreApplication.instance() is None:
        _cli_translate.app = QCoreApplication([])  # keep a reference: translators need it
    i18n.install(lang)


def hoist_global_options(argv: list[str]) -> list[str]:
    """Global options may be written anywhere (`counterdesk demo --customers 5 --db URL`): move them first."""
    front, rest, i = [], [], 0
    while i < len(argv):
        arg = argv[i]
        name = arg.split("=", 1)[0]
        if name in ("--db", "--lang", "--data-dir"):
            if "=" in arg:
                front.append(arg)
            else:
                front.extend(argv[i : i + 2])
                i += 1
        elif arg == "--demo":
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main(argv: list[str] | None = None) -> int:
    startup_trace.mark("main")  # COUNTERDESK_STARTUP_TRACE: Python (or the bundle's bootloader) and app.cli are loaded
    argv = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
    if not _has_subcommand(argv):
        args = build_parser(with_commands=False).parse_args(argv)
        lang = apply_environment(args)
        try:
            check_data_dir()
        except CliError as err:
            _cli_translate(lang)
            print(f"counterdesk: {err.text()}", file=sys.stderr)
            return 2
        from app.main import run_gui

        return run_gui(args, lang)

    args = build_parser().parse_args(argv)
    lang = apply_environment(args)
    if not getattr(args, "func", None):
        build_parser().print_help()
        return 2
    _cli_translate(lang)
    import logging

    from app.i18n import error_text
    from app.kernel.errors import UserError

    log = logging.getLogger("app.cli")
    try:
        refuse_password_in_arguments(args)
        check_data_dir()
        _log_to_data_folder()
        return int(args.func(args) or 0)
    except UserError as err:
        field = f" [{err.field}]" if err.field else ""
        log.warning("%s: %s%s", args.command, err.text(), field)  # in English, for support (passwords and ID numbers masked)
        print(f"counterdesk: {error_text(err)}{field}", file=sys.stderr)
        return 2
    except CliError as err:
        print(f"counterdesk: {err.text()}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`counterdesk find 张 | head`): stop quietly, as other tools do.
        _silence_stdout()
        return 141
    except KeyboardInterrupt:
        print("counterdesk: interrupted", file=sys.stderr)
        return 130
    except Exception:
        log.exception("%s failed", args.command)
        raise
    finally:
        close_databases()


def _log_to_data_folder() -> None:
    """The rotating, masked counterdesk.log in the data folder (app.kernel.logs)."""
    from app import paths
    from app.kernel import logs

    logs.setup(paths.data_dir())


def _silence_stdout() -> None:
    """Point standard output at /dev/null, so flushing it at exit raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
