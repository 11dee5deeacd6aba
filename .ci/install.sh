#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK: a Chromium for the web sample's end-to-end test (Playwright drives
# the system browser; it cannot download its own) and a redis-server for the Redis tests (they start their own server
# on a free loopback port). Idempotent: installs only what is missing, and nothing at all when both are there.
set -euo pipefail

missing=()

has_chromium=false
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    has_chromium=true
    break
  fi
done
$has_chromium || missing+=(chromium)

if [ -n "${REDIS_SERVER_PATH:-}" ] && [ -x "${REDIS_SERVER_PATH}" ]; then
  :
elif ! command -v redis-server >/dev/null 2>&1; then
  missing+=(redis-server)
fi

if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install.sh: missing ${missing[*]} and no apt-get; set CHROMIUM_PATH to a Chromium or Chrome executable and REDIS_SERVER_PATH to a redis-server" >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo -n); fi

export DEBIAN_FRONTEND=noninteractive
echo "install.sh: installing ${missing[*]}"
# A failed update (a stale mirror list) should not hide a package that is already in the local lists.
"${sudo_cmd[@]}" apt-get update -qq || echo "install.sh: apt-get update failed; trying the local package lists" >&2
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

for package in "${missing[@]}"; do
  case "$package" in
    chromium)
      command -v chromium >/dev/null
      echo "install.sh: $(chromium --version 2>/dev/null || echo chromium installed)"
      ;;
    redis-server)
      # The Debian package starts a service where systemd runs; the tests start their own servers and need none.
      command -v redis-server >/dev/null
      echo "install.sh: $(redis-server --version 2>/dev/null || echo redis-server installed)"
      ;;
  esac
done
