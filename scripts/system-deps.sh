#!/usr/bin/env bash
# Install the Debian packages the test suite drives for real: a PostgreSQL server (the Postgres
# store path), Chromium (the browser tests drive it with Playwright; Playwright never
# downloads a browser of its own here), and the libraries OpenCV needs. Nothing is downloaded outside the package registries. Without root or apt-get the
# tests that need these are skipped, each with its reason.
set -u
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# OpenCV (brought by mediapipe for the video extra) loads libGL and glib at import.
ldconfig -p 2>/dev/null | grep -q 'libGL.so.1' || need+=(libgl1)
ldconfig -p 2>/dev/null | grep -q 'libgthread-2.0.so.0' || need+=(libglib2.0-0)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: cannot install ${need[*]} (needs root and apt-get); tests that need them will be skipped" >&2
  exit 0
fi
echo "system-deps: installing ${need[*]} from Debian" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
  echo "system-deps: apt-get failed for ${need[*]}; tests that need them will be skipped" >&2
fi
exit 0
