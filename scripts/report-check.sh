#!/bin/sh
# report-check.sh renders the report of a three-symbol run of the real
# daily files in headless Chromium to docs/report.png and checks it:
#
#   scripts/report-check.sh [DATA_DIR [OUT.png]]
#
# DATA_DIR holds orcl-1995-2014.txt, yhoo-1996-2014.txt and
# nvda-1999-2014.txt (default /work/shared/data); they are named ORCL,
# YHOO and NVDA. The script installs Debian's chromium with apt-get when
# no Chromium is found (as root), runs the backtest twice and fails
# unless both report.html files are the same bytes (the report is
# deterministic), then fails if the screenshot looks blank: a white page
# of this size compresses to a few kilobytes, a drawn report to hundreds.
set -eu
cd "$(dirname "$0")/.."
data=${1:-/work/shared/data}
png=${2:-docs/report.png}
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
	echo "installing chromium (apt-get)" >&2
	apt-get update -qq >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/quantloop" ./cmd/quantloop
for run in a b; do
	"$tmp/quantloop" run --data "ORCL=$data/orcl-1995-2014.txt,YHOO=$data/yhoo-1996-2014.txt,NVDA=$data/nvda-1999-2014.txt" \
		--strategy smacross --size-pct 30 --account cash --out "$tmp/$run" >/dev/null
done
if ! cmp -s "$tmp/a/report.html" "$tmp/b/report.html"; then
	echo "$0: two runs of the same inputs gave different report.html files" >&2
	exit 1
fi
sh scripts/screenshot.sh "$tmp/a/report.html" "$png" 1100 4200
size=$(wc -c <"$png")
if [ "$size" -lt 100000 ]; then
	echo "$0: $png is $size bytes: the render looks blank" >&2
	exit 1
fi
echo "ok: $png, $size bytes"
