#!/usr/bin/env bash
# Fetches GitHub's full REST spec (the @octokit/openapi npm package, OpenAPI 3.0) into
# .cache/npm and its webhooks spec (@octokit/openapi-webhooks, OpenAPI 3.1) into
# .cache/webhooks. The specs are not committed; tests/github.rs reads them from there (or
# from $APIGEN_GITHUB_SPEC and $APIGEN_GITHUB_WEBHOOKS_SPEC).
set -euo pipefail
cd "$(dirname "$0")/.."

# fetch PACKAGE VERSION DIR FILE: installs PACKAGE@VERSION into DIR unless it is there.
fetch() {
  local installed
  installed=$(node -p "require('./$3/node_modules/$1/package.json').version" 2>/dev/null || true)
  if [ -f "$3/node_modules/$1/$4" ] && [ "$installed" = "$2" ]; then
    echo "$1 $2 already in $3"
    return
  fi
  mkdir -p "$3"
  npm install --prefix "$3" --no-audit --no-fund --no-save --loglevel=error "$1@$2"
  test -f "$3/node_modules/$1/$4"
  echo "$1 $2 in $3"
}
fetch @octokit/openapi "${OCTOKIT_OPENAPI_VERSION:-23.0.2}" .cache/npm generated/api.github.com.json
fetch @octokit/openapi-webhooks "${OCTOKIT_WEBHOOKS_VERSION:-12.1.0}" .cache/webhooks generated/api.github.com.json
