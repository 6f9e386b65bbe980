#!/usr/bin/env bash
# The one command that runs every test: installs what it needs (pnpm 10, dependencies), then builds,
# type-checks, lints, tests and packages every workspace through turbo, and ends with a line
# `N passed, N failed`. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

node scripts/run-tests.mjs "$@"
