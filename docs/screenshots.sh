#!/usr/bin/env bash
# Renders the HTML reports (issue 8) and screenshots them with headless Chromium, to look at them
# the way a reader will: the VGG16 report and a scan of testdata/, each at 1280 px and 420 px wide.
# Usage: docs/screenshots.sh [out-dir]        (default target/screenshots)
# Needs Java 17, Maven and Debian's chromium package (apt-get install -y chromium).
# Also refreshes docs/html-report.png, the README's picture (the VGG16 report at 1280 px).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/screenshots}"
mkdir -p "$out"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "screenshots: chromium not found (Debian: apt-get install -y chromium)" >&2
  exit 2
fi
mvn -B -q -DskipTests package        # always: a stale jar would show stale pages
java -jar target/modeltally.jar inspect testdata/onnx/vgg16.onnx --html "$out/vgg16.html" >/dev/null
java -jar target/modeltally.jar scan testdata --quiet --html "$out/testdata.html" >/dev/null

# shot PAGE WIDTH HEIGHT PNG: no network, no profile left behind
shot() {
  local profile
  profile="$(mktemp -d)"
  "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
    --hide-scrollbars --window-size="$2,$3" --screenshot="$4" "file://$(realpath "$1")" >/dev/null 2>&1
  rm -rf "$profile"
  echo "$4 ($(stat -c %s "$4") bytes)"
}
shot "$out/vgg16.html" 1280 2000 "$out/vgg16-1280.png"
shot "$out/vgg16.html" 420 2400 "$out/vgg16-420.png"
shot "$out/testdata.html" 1280 2000 "$out/testdata-1280.png"
shot "$out/testdata.html" 420 2400 "$out/testdata-420.png"
shot "$out/vgg16.html" 1280 1180 docs/html-report.png
