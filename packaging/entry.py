"""Entry point of the bundled program: the same `counterdesk` command as the console script.

Two kinds of start are not the command:
- a child process that multiprocessing starts by running the program again (the spawn and forkserver
  start methods, and their resource tracker: `counterdesk demo` on a large store, printing from the
  window): multiprocessing.freeze_support() runs its code (PyInstaller's version of it, from its
  runtime hook); multiprocessing is imported for these only, not on every start;
- COUNTERDESK_BENCH_BARE_QT=1: a bare QApplication start in this bundle, the limit
  `counterdesk bench startup --program` measures the installed program against (bench/bare_qt.py).
"""

import os
import sys


def _multiprocessing_child(argv: list[str]) -> bool:
    if "--multiprocessing-fork" in argv:
        return True
    return "-c" in argv and any(a.startswith(("from multiprocessing.", "import sys; from multiprocessing.")) for a in argv)


if __name__ == "__main__":
    if _multiprocessing_child(sys.argv):
        import multiprocessing

        multiprocessing.freeze_support()  # runs the child's code and exits
    if os.environ.get("COUNTERDESK_BENCH_BARE_QT"):
        from bench.bare_qt import CODE

        exec(CODE, {"__name__": "__main__"})
        sys.exit(0)
    from app.cli import main

    sys.exit(main())
