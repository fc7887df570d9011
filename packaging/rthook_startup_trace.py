# PyInstaller runtime hook, run before PyInstaller's own (packaging/counterdesk.spec): with
# COUNTERDESK_STARTUP_TRACE set, the start-up trace (app/kernel/startup_trace.py) begins here, so it
# also shows what the bundle does before the program's own code (the other runtime hooks' imports).
import os

if os.environ.get("COUNTERDESK_STARTUP_TRACE"):
    from app.kernel import startup_trace

    startup_trace.mark("bundle: Python started, runtime hooks next")
