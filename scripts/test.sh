#!/usr/bin/env bash
# Sets everything up, makes sure PostgreSQL answers on 127.0.0.1:5432, and runs the whole
# test suite headless (Qt offscreen). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure-postgres.sh
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
