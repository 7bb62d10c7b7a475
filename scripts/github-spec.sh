#!/usr/bin/env bash
# Fetches GitHub's full REST spec (the @octokit/openapi npm package) into .cache/npm.
# The spec is not committed; tests/github.rs reads it from there (or from $APIGEN_GITHUB_SPEC).
set -euo pipefail
cd "$(dirname "$0")/.."
version="${OCTOKIT_OPENAPI_VERSION:-23.0.2}"
spec=.cache/npm/node_modules/@octokit/openapi/generated/api.github.com.json
installed=$(node -p "require('./.cache/npm/node_modules/@octokit/openapi/package.json').version" 2>/dev/null || true)
if [ -f "$spec" ] && [ "$installed" = "$version" ]; then
  echo "GitHub spec $version already in $spec"
  exit 0
fi
mkdir -p .cache/npm
npm install --prefix .cache/npm --no-audit --no-fund --no-save --loglevel=error "@octokit/openapi@$version"
test -f "$spec"
echo "GitHub spec $version in $spec"
