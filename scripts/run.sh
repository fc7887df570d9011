#!/usr/bin/env bash
# Sets everything up, then starts CounterDesk on the demo store (filled on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/counterdesk --demo "$@"
