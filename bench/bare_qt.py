"""The bare QApplication start, the limit of `bench startup`: a fresh process that shows an empty
window and turns the event loop once, then prints `bare SECONDS` (since the process started, as
the kernel counts it). Run as `python -c CODE` with the checkout's Python, and inside the installed
program's bundle with COUNTERDESK_BENCH_BARE_QT=1 (packaging/entry.py). Nothing else is imported here."""

CODE = """
import os, time
def since_start():
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget()
w.show()
def done():
    print(f"bare {since_start():.3f}", flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""
