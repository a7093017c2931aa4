#!/usr/bin/env bash
# Vendor the web app's front-end library from the npm registry into the package (at build
# time; the app never loads anything from a CDN). Reproducible: a pinned version, and the
# tarball's integrity is checked against the registry's by npm.
#   scripts/vendor-js.sh            # writes src/backcheck/web/static/vendor/
set -euo pipefail
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/src/backcheck/web/static/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent "htmx.org@${HTMX_VERSION}" >/dev/null
tar -xzf "htmx.org-${HTMX_VERSION}.tgz"
mkdir -p "$dest"
cp package/dist/htmx.min.js "$dest/htmx.min.js"
cp package/LICENSE "$dest/htmx.LICENSE"
printf 'htmx.org %s from the npm registry (BSD Zero Clause License, see htmx.LICENSE)\n' \
  "$HTMX_VERSION" >"$dest/README.txt"
echo "vendored htmx.org@${HTMX_VERSION} into ${dest#"$root"/}"
