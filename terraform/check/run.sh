#!/usr/bin/env bash
# The offline Terraform check as the build runs it (terraform/pom.xml, verify phase): install the
# pinned HCL parser, prove the rules still catch the known-bad fixtures, then check terraform/*.tf.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "terraform check: Node.js 20+ and npm are needed on PATH (Debian: apt-get install nodejs npm)." >&2
  echo "terraform check: to build without it: mvn -B verify -pl '!terraform'" >&2
  exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  echo "terraform check: Node.js 20+ is needed; found $(node --version)." >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error
node check.mjs --self-test
node check.mjs
