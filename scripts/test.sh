#!/usr/bin/env bash
# The one command that runs every test: installs what it needs (pnpm 10, dependencies, Chromium and
# Java from Debian's packages when missing), then builds,
# type-checks, lints, tests and packages every workspace through turbo, and ends with a line
# `N passed, N failed`. Exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/setup.sh
source scripts/setup.sh

# System packages the tests need: Chromium for the browser tests, Java 17 for DynamoDB Local.
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)…"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
      echo "Need root (or sudo) to install: ${missing[*]}" >&2
      exit 1
    fi
  fi
  apt_log="$(mktemp)"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"; } \
    >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    echo "Could not install ${missing[*]}." >&2
    exit 1
  fi
fi

node scripts/run-tests.mjs "$@"
