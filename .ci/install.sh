#!/usr/bin/env bash
# Installs what the tests need beyond the .NET SDK: a Chromium for the web sample's end-to-end test
# (Playwright drives the system browser; it cannot download its own). Idempotent: exits at once when a
# browser is already there.
set -euo pipefail

for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install.sh: no Chromium and no apt-get; set CHROMIUM_PATH to a Chromium or Chrome executable" >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo -n); fi

export DEBIAN_FRONTEND=noninteractive
echo "install.sh: installing chromium"
# A failed update (a stale mirror list) should not hide a package that is already in the local lists.
"${sudo_cmd[@]}" apt-get update -qq || echo "install.sh: apt-get update failed; trying the local package lists" >&2
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v chromium >/dev/null
echo "install.sh: $(chromium --version 2>/dev/null || echo chromium installed)"
