#!/bin/sh
# Renders the demo tenant's HTML report and access view in headless
# Chromium, checks what a person would (the filters work, nothing is
# fetched from any network), and writes the pictures the README shows to
# docs/. Needs the chromium package (Debian: apt-get install chromium); is
# skipped with a message without it. Not part of make test.
#
#   scripts/screenshots.sh [BIN]      (make screenshots builds BIN first)
set -eu

bin=${1:-bin/halolint}
out=${OUT:-docs}
chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium chromium-browser google-chrome; do
		if command -v "$c" >/dev/null 2>&1; then chromium=$c; break; fi
	done
fi
if [ -z "$chromium" ]; then
	echo "make screenshots: skipped: no headless Chromium found (Debian: apt-get install chromium; or set CHROMIUM)"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() { echo "make screenshots: $*" >&2; exit 1; }

# The demo has findings on purpose: exit 1 is the demo working.
"$bin" demo -o html="$tmp/report.html" >/dev/null 2>&1 || [ $? -eq 1 ] || fail "halolint demo failed"
"$bin" demo access -o html="$tmp/access.html" >/dev/null 2>&1 || fail "halolint demo access failed"

# Every host resolves to nothing and every request goes to a closed port:
# neither the page nor the browser's own background services reach any
# network while the pictures are taken.
browse() {
	"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
		--user-data-dir="$tmp/profile" --disable-background-networking --disable-component-update \
		--disable-sync --disable-default-apps --disable-extensions --mute-audio \
		--host-resolver-rules='MAP * ~NOTFOUND' --proxy-server=127.0.0.1:9 \
		--force-device-scale-factor=1 --lang=en-GB "$@" 2>/dev/null
}

# shoot PAGE WIDTH HEIGHT PICTURE: a screenshot, with a log of every
# network request; one the page made (its origin is file://) is a defect.
shoot() {
	browse --window-size="$2,$3" --log-net-log="$tmp/net.json" --screenshot="$4" "file://$1" >/dev/null
	[ -s "$4" ] || fail "no picture of $1"
	if grep -q -e 'internally: file://' -e '"initiator": *"null"' "$tmp/net.json"; then
		fail "$1 made a network request (see the net log: rerun with the same flags)"
	fi
}

dom() { browse --virtual-time-budget=2000 --dump-dom "file://$1"; }

# The filters work in a real browser: with the script, the form shows and
# a filter in the address hides every other result; without it, the form
# stays hidden and every result is shown.
items() { grep -o '<[a-z]* [^>]*data-status="[a-z]*"[^>]*>' || true; }
dom "$tmp/report.html" >"$tmp/all.html"
grep -q '<form id="filters">' "$tmp/all.html" || fail "the filter script did not run"
grep -q 'showing [0-9]* of [0-9]* results' "$tmp/all.html" || fail "the filter count is missing"
total=$(items <"$tmp/all.html" | grep -vc ' hidden' || true)
dom "$tmp/report.html#status=fail&profile=timezest" >"$tmp/fail.html"
shown=$(items <"$tmp/fail.html" | grep -v ' hidden' || true)
[ -n "$shown" ] || fail "filtering fail/timezest shows nothing"
if printf '%s\n' "$shown" | grep -v 'data-status="fail"' | grep -q . || printf '%s\n' "$shown" | grep -v 'data-profile="timezest"' | grep -q .; then
	fail "filtering fail/timezest shows other results"
fi
# (Headless Chromium cannot be told to run no script: the page without its
# script element is what a browser with scripts off shows.)
sed '/^<script>/,/^<\/script>/d' "$tmp/report.html" >"$tmp/report-noscript.html"
dom "$tmp/report-noscript.html" >"$tmp/noscript.html"
grep -q '<form id="filters" hidden' "$tmp/noscript.html" || fail "without scripts the filters show"
noscript=$(items <"$tmp/noscript.html" | grep -vc ' hidden' || true)
[ "$noscript" -eq "$total" ] || fail "without scripts $noscript of $total results show"

# Names full of markup render as text in a real browser too: the access
# view's golden page holds an application called <script>alert("pwned")...
# and an agent called "><img src=x onerror=alert(1)>.
hostile=reports/testdata/golden/access.html
if [ -f "$hostile" ]; then
	dom "$PWD/$hostile" >"$tmp/hostile.html"
	grep -q '&lt;script&gt;alert("pwned")&lt;/script&gt;' "$tmp/hostile.html" || fail "a name holding a script tag is not shown as text"
	if grep -q -i -e '<img' -e '<b>Bold' "$tmp/hostile.html"; then fail "a name's markup became an element"; fi
fi

mkdir -p "$out"
shoot "$tmp/report.html" 1280 1500 "$out/report.png"
shoot "$tmp/report.html#status=fail,warn&profile=baseline" 1280 1100 "$out/report-filtered.png"
shoot "$tmp/access.html" 1280 1250 "$out/access.png"
echo "make screenshots: $out/report.png, $out/report-filtered.png, $out/access.png ($total results; the filters work; nothing fetched)"
