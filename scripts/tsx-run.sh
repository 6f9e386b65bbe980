#!/usr/bin/env bash
# Runs one of dev-stack's command-line tools (TypeScript, through tsx) from the repository root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool="$1"
shift
exec "$root/packages/dev-stack/node_modules/.bin/tsx" --conditions=source "$root/packages/dev-stack/src/cli/$tool.ts" "$@"
