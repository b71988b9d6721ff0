#!/bin/sh
# screenshot.sh renders a report.html to a PNG with headless Chromium
# (Debian's chromium package), offline.
#
#   scripts/screenshot.sh out/report.html docs/report.png [WIDTH [HEIGHT]]
set -eu
if [ $# -lt 2 ]; then
	echo "usage: $0 REPORT.html OUT.png [WIDTH [HEIGHT]]" >&2
	exit 2
fi
in=$1
out=$2
width=${3:-1100}
height=${4:-4200}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "$0: chromium not found (apt-get install chromium)" >&2
	exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs=$(cd "$(dirname "$in")" && pwd)/$(basename "$in")
outabs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--hide-scrollbars --user-data-dir="$profile" \
	--screenshot="$outabs" --window-size="$width,$height" "file://$abs" 2>/dev/null
echo "wrote $out"
