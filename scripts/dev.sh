#!/usr/bin/env bash
# The one command that runs the system: installs what it needs (pnpm 10, dependencies), builds the
# chat UI, then starts the local stack on 127.0.0.1, seeds it and prints where to go.
# Flags: --reset (wipe .local-data), --known-passwords, --verbose. Ctrl-C stops everything.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

if ! command -v java >/dev/null 2>&1; then
  echo "Java 17+ is required for DynamoDB Local (e.g. apt-get install openjdk-17-jre-headless)." >&2
  exit 1
fi
echo "Building the chat UI…"
build_log="$(mktemp)"
pnpm --filter @tenant-assistant/web run build >"$build_log" 2>&1 || {
  cat "$build_log" >&2
  exit 1
}
exec packages/dev-stack/node_modules/.bin/tsx --conditions=source packages/dev-stack/src/cli/dev.ts "$@"
