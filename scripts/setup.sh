#!/usr/bin/env bash
# Shared set-up for scripts/test.sh and scripts/dev.sh: pnpm 10 and the workspace's dependencies.
# Sourced, not run: it exports PATH and the environment the tools need.
set -uo pipefail

PNPM_VERSION=10.34.9
export TURBO_TELEMETRY_DISABLED=1
export AWS_EC2_METADATA_DISABLED=true
export npm_config_update_notifier=false

if [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt 20 ]; then
  echo "Node.js 20 or newer is required (found: $(node -v 2>/dev/null || echo none))." >&2
  exit 1
fi

if ! command -v pnpm >/dev/null 2>&1 || [[ "$(pnpm -v 2>/dev/null)" != 10.* ]]; then
  echo "Installing pnpm ${PNPM_VERSION}…"
  if npm install --global --no-fund --no-audit "pnpm@${PNPM_VERSION}" >/dev/null 2>&1; then
    # npm's global bin folder is not on every PATH
    export PATH="$(npm prefix --global)/bin:$PATH"
  else
    # no permission for a global install: install into the project's own tools folder
    npm install --prefix "$PWD/.tools" --no-fund --no-audit "pnpm@${PNPM_VERSION}" >/dev/null || {
      echo "Could not install pnpm ${PNPM_VERSION} from the npm registry." >&2
      exit 1
    }
    export PATH="$PWD/.tools/node_modules/.bin:$PATH"
  fi
  hash -r
fi

echo "Installing dependencies (pnpm $(pnpm -v))…"
install_log="$(mktemp)"
if ! pnpm install --frozen-lockfile --reporter=append-only >"$install_log" 2>&1; then
  cat "$install_log" >&2
  echo "pnpm install failed (log above)." >&2
  exit 1
fi
