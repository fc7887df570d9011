#!/usr/bin/env bash
# Sets everything up, makes sure PostgreSQL answers on 127.0.0.1:5432, and runs the whole
# test suite headless (Qt offscreen), on every core (pytest-xdist, one test file per worker at a
# time; COUNTERDESK_TEST_WORKERS=0 runs it in one process). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure-postgres.sh
export QT_QPA_PLATFORM=offscreen
workers="${COUNTERDESK_TEST_WORKERS:-auto}"
if [ "$workers" = "0" ]; then
  exec .venv/bin/python -m pytest "$@"
fi
exec .venv/bin/python -m pytest -n "$workers" --dist loadfile "$@"
