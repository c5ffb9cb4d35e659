#!/usr/bin/env bash
# test_html.sh TIMERLINT OUTDIR: the HTML report in a real headless Chromium.
# Checks the DOM after the page's scripts ran: every finding is there, the
# rule filter (selected through the address, #rule=...) hides the others,
# a source comment holding </script><script>... renders as text, and in diff
# mode (--baseline) new findings are marked. Saves screenshots as
# OUTDIR/html-report.png and OUTDIR/html-report-diff.png.
set -u
tl=$(realpath "$1") out=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
no() { fail=$((fail + 1)); echo "FAIL $1"; }
browser=$(command -v chromium || command -v chromium-browser)
[ -n "$browser" ] || { echo "FAIL chromium is not installed (scripts/setup-and-demo.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
chrome() { # URL, extra args...
  local url=$1; shift
  "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$tmp/profile" "$@" "$url" 2>/dev/null
}

cat >"$tmp/evil.c" <<'C'
#include <signal.h>
#include <time.h>
int leak(void)
{
    /* </script><script>document.title='pwned'</script> <b>bold</b> */
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    return 0;
}

int twice(void)
{
    timer_t t;
    if (timer_create(CLOCK_MONOTONIC, NULL, &t) != 0)
        return -1;
    timer_delete(t);
    timer_delete(t);
    return 0;
}
C
(cd "$tmp" && "$tl" scan -q --no-db --format html --output report evil.c >/dev/null 2>&1)
page="file://$tmp/report/index.html"
chrome "$page" --dump-dom >"$tmp/dom.html"
n=$(grep -o 'class="finding' "$tmp/dom.html" | wc -l)
[ "$n" -eq 2 ] && ok || no "findings in the DOM: $n (want 2)"
grep -q 'missing-stop' "$tmp/dom.html" && grep -q 'released twice' "$tmp/dom.html" && ok ||
  no "messages in the DOM"
grep -q '&lt;/script&gt;&lt;script&gt;document.title' "$tmp/dom.html" && ok ||
  no "the source comment is not shown as text"
! grep -q "<title>pwned" "$tmp/dom.html" && ! grep -q "<b>bold</b>" "$tmp/dom.html" && ok ||
  no "markup from the source was executed or parsed"
grep -q 'class="step" title="[^"]*">1 timer' "$tmp/dom.html" && ok || no "numbered path steps"
chrome "$page#rule=use-after-release" --dump-dom >"$tmp/dom2.html"
shown=$(grep -o '<div class="finding[^>]*>' "$tmp/dom2.html" | grep -vc 'hidden')
hidden=$(grep -o '<div class="finding[^>]*>' "$tmp/dom2.html" | grep -c 'hidden')
[ "$shown" -eq 1 ] && [ "$hidden" -eq 1 ] && grep -q '1 shown' "$tmp/dom2.html" && ok ||
  no "rule filter: $shown shown, $hidden hidden"

# Diff mode (--baseline): the new finding is marked and shown first; the
# baseline's finding is there too, shown with #state=all.
mkdir "$tmp/diff" && sed -n '1,11p' "$tmp/evil.c" >"$tmp/diff/d.c"
(cd "$tmp/diff" && "$tl" scan -q --db r.db d.c >/dev/null 2>&1
 sed -n '12,$p' "$tmp/evil.c" >>d.c
 "$tl" scan -q --db r.db --baseline latest --format html --output report d.c >/dev/null 2>&1)
dpage="file://$tmp/diff/report/index.html"
chrome "$dpage" --dump-dom >"$tmp/dom3.html"
new=$(grep -o '<div class="finding new"[^>]*>' "$tmp/dom3.html")
old=$(grep -o '<div class="finding"[^>]*>' "$tmp/dom3.html")
[ "$(echo "$new" | grep -c .)" -eq 1 ] && [ "$(echo "$old" | grep -c .)" -eq 1 ] &&
  ! echo "$new" | grep -q hidden && echo "$old" | grep -q hidden &&
  grep -q '<span class="badge">new</span><span class="rule">\[use-after-release\]' "$tmp/dom3.html" &&
  grep -q '2 findings, 1 new since the baseline' "$tmp/dom3.html" && ok ||
  no "diff mode: the new finding marked and shown, the old one hidden"
chrome "$dpage#state=all" --dump-dom >"$tmp/dom4.html"
[ "$(grep -o '<div class="finding[^>]*>' "$tmp/dom4.html" | grep -c hidden)" -eq 0 ] &&
  grep -q '2 shown' "$tmp/dom4.html" && ok || no "diff mode: #state=all shows both"
! grep -q 'class="badge"' "$tmp/dom.html" && ok || no "a new mark without --baseline"

mkdir -p "$out"
chrome "$dpage" --screenshot="$out/html-report-diff.png" --window-size=1200,900 >/dev/null
chrome "$page" --screenshot="$out/html-report.png" --window-size=1200,900 >/dev/null
[ -s "$out/html-report.png" ] && [ -s "$out/html-report-diff.png" ] && ok || no "screenshots"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
