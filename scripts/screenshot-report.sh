#!/usr/bin/env bash
# Renders a case's report page with a headless Chromium into a PNG, so that the
# docs show the page as a person sees it. Default: the demo's page
# (build/cases/iris/report.html, from `make demo`) into docs/images/report.png.
#   scripts/screenshot-report.sh [PAGE.html] [OUT.png] [WIDTHxHEIGHT]
# Installs Debian's chromium when it is missing and the script runs as root.
set -euo pipefail
page=${1:-build/cases/iris/report.html}
out=${2:-docs/images/report.png}
size=${3:-1280x2300}
if [ ! -f "$page" ]; then
  echo "screenshot-report: error: $page: no such page: run \`make demo\` first (or give a page)" >&2
  exit 1
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y chromium >/dev/null
    browser=$(command -v chromium)
  else
    echo "screenshot-report: error: chromium not found: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$.png"
trap 'rm -f "$tmp"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size="${size/x/,}" --screenshot="$(realpath -m "$tmp")" "file://$(realpath "$page")" >/dev/null 2>&1 || {
  echo "screenshot-report: error: $browser could not render $page" >&2
  exit 1
}
if [ ! -s "$tmp" ]; then
  echo "screenshot-report: error: $browser wrote no picture of $page" >&2
  exit 1
fi
mv "$tmp" "$out"
trap - EXIT
echo "screenshot-report: wrote $out ($size) from $page"
