#!/usr/bin/env bash
# Opens an HTML report (e.g. the report.html that `ballast experiment` writes) in headless Chromium
# and saves a PNG screenshot, so a report can be checked by eye on a machine without a display.
# Installs Debian's `chromium` package with apt-get when no Chromium is found.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: Scripts/screenshot-report.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]

  REPORT.html   the report to open (a path; it is opened as a file:// URL)
  OUT.png       where to write the screenshot (default: REPORT.png beside the report)
  WIDTHxHEIGHT  the window size in pixels (default: 1400x4000; the page is cut at HEIGHT)

examples:
  Scripts/screenshot-report.sh results/nsl-kdd-table2/report.html /tmp/report.png 1400x6000

  # a sample report from hand-built results (no dataset needed), then its screenshot:
  BALLAST_REPORT_SAMPLE_DIR=/tmp/ballast-report-sample \
      swift test -c release --filter ExperimentReportTests/sample
  Scripts/screenshot-report.sh /tmp/ballast-report-sample/report.html /tmp/report-sample.png
  # add BALLAST_REPORT_RESULTS=DIR/results.json to the test's environment to re-render an existing run instead

Chromium is looked up as chromium, chromium-browser, google-chrome (or $CHROMIUM); when none is
found, Debian's `chromium` package is installed with apt-get (through sudo when not root).
USAGE
}

if [[ $# -lt 1 || $# -gt 3 || "$1" == "-h" || "$1" == "--help" ]]; then
    usage
    [[ $# -ge 1 && ( "$1" == "-h" || "$1" == "--help" ) ]] && exit 0
    exit 64
fi

report="$1"
if [[ ! -f "$report" ]]; then
    echo "error: $report: no such file (give the path of a report.html)" >&2
    exit 66
fi
out="${2:-${report%.*}.png}"
size="${3:-1400x4000}"
if [[ ! "$size" =~ ^([0-9]+)x([0-9]+)$ ]]; then
    echo "error: window size '$size': expected WIDTHxHEIGHT, e.g. 1400x4000" >&2
    exit 64
fi
width="${BASH_REMATCH[1]}"
height="${BASH_REMATCH[2]}"

find_chromium() {
    local candidate
    for candidate in "${CHROMIUM:-}" chromium chromium-browser google-chrome; do
        [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null 2>&1 && { command -v "$candidate"; return 0; }
    done
    return 1
}

if ! browser="$(find_chromium)"; then
    echo "Chromium not found; installing Debian's chromium package with apt-get…" >&2
    if [[ "$(id -u)" -eq 0 ]]; then
        as_root=()
    elif command -v sudo >/dev/null 2>&1; then
        as_root=(sudo)
    else
        echo "error: Chromium is not installed and this user cannot install it (not root, no sudo)." >&2
        echo "       Install it with: apt-get install chromium   (or set CHROMIUM=/path/to/chrome)" >&2
        exit 69
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "error: Chromium is not installed and apt-get is not available on this system." >&2
        echo "       Install Chromium with your package manager, or set CHROMIUM=/path/to/chrome" >&2
        exit 69
    fi
    if ! { "${as_root[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium; }; then
        echo "error: apt-get could not install chromium (see the messages above)." >&2
        exit 69
    fi
    browser="$(find_chromium)" || { echo "error: chromium was installed but is not on PATH" >&2; exit 69; }
fi

absolute="$(cd "$(dirname "$report")" && pwd)/$(basename "$report")"
mkdir -p "$(dirname "$out")"
out_absolute="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
rm -f "$out_absolute"

# A throwaway profile keeps runs independent of each other and of any user profile.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$out_absolute" --window-size="$width,$height" "file://$absolute" >/dev/null 2>&1 || true

if [[ ! -s "$out_absolute" ]]; then
    echo "error: Chromium ($browser) did not write $out_absolute; run it by hand to see why:" >&2
    echo "       $browser --headless --disable-gpu --no-sandbox --screenshot=$out_absolute --window-size=$width,$height file://$absolute" >&2
    exit 70
fi
echo "wrote $out_absolute (${width}x${height})"
