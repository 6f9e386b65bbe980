#!/usr/bin/env bash
# Runs one of dev-stack's command-line tools (TypeScript, through tsx) from the repository root.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
# The Node 22 that scripts/setup.sh installed when the machine's Node is older (Lambda runs Node 22).
for node_bin in "$root"/.tools/node22/node_modules/node-*/bin; do
  if [ -x "$node_bin/node" ]; then PATH="$node_bin:$PATH"; fi
done
tool="$1"
shift
exec "$root/packages/dev-stack/node_modules/.bin/tsx" --conditions=source "$root/packages/dev-stack/src/cli/$tool.ts" "$@"
