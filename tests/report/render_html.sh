#!/usr/bin/env bash
# Render test for the HTML report (CTest: report_html_render). Writes the golden input's page
# with the test binary, renders it in headless Chromium, and checks that
#   - the screenshot exists and is not blank (more than 10 distinct pixel values),
#   - the rendered DOM shows the headline figures (money at stake, idle seats, company score),
#   - the hostile tool name "<script>alert(1)</script>" is text, not an element.
# Usage: render_html.sh TEST_REPORT_BINARY OUT_DIR
# Without Chromium: fails when CI=true, otherwise exits 77 (CTest reports it as skipped).
set -euo pipefail

test_binary=${1:?usage: render_html.sh TEST_REPORT_BINARY OUT_DIR}
out_dir=${2:?usage: render_html.sh TEST_REPORT_BINARY OUT_DIR}

chromium_bin=""
for candidate in chromium chromium-browser; do
    if command -v "$candidate" >/dev/null 2>&1; then
        chromium_bin=$(command -v "$candidate")
        break
    fi
done
if [[ -z "$chromium_bin" ]]; then
    if [[ "${CI:-}" == "true" ]]; then
        echo "FAIL: chromium is not installed; scripts/setup.sh installs it (apt-get install -y chromium)" >&2
        exit 1
    fi
    echo "SKIP: chromium is not installed (apt-get install -y chromium); the render test needs it" >&2
    exit 77
fi

mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
html="$out_dir/report.html"
png="$out_dir/report.png"
dom="$out_dir/report.dom.html"
rm -f "$html" "$png" "$dom"

STACKAUDIT_HTML_OUT="$html" "$test_binary" "write the sample HTML report for the render test" >/dev/null
[[ -s "$html" ]] || { echo "FAIL: $test_binary did not write $html" >&2; exit 1; }

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
    --disable-background-networking --disable-component-update --disable-sync
    --user-data-dir="$profile" --window-size=1280,2400)

(cd "$out_dir" && timeout 120 "$chromium_bin" "${chromium_flags[@]}" --screenshot="$png" "file://$html" \
    >"$out_dir/chromium.screenshot.log" 2>&1) || true
timeout 120 "$chromium_bin" "${chromium_flags[@]}" --dump-dom "file://$html" >"$dom" 2>"$out_dir/chromium.dom.log" || true

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

[[ -s "$png" ]] || fail "no screenshot at $png (see $out_dir/chromium.screenshot.log)"
[[ -s "$dom" ]] || fail "no DOM dump at $dom (see $out_dir/chromium.dom.log)"

if [[ -s "$png" ]]; then
    python3 - "$png" <<'PY' || fail "the screenshot $png is blank or unreadable"
# Decodes the PNG (8-bit RGB/RGBA, non-interlaced, as Chromium writes it), undoes the row
# filters and counts distinct pixel values; a blank page has one or two.
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width, height, bpp = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        assert depth == 8 and interlace == 0 and colour in (2, 6), f"unexpected PNG format {depth}/{colour}/{interlace}"
        bpp = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * bpp
prev = bytearray(stride)
pixels = set()
for y in range(height):
    ftype = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ftype == 1: line[i] = (line[i] + a) & 255
        elif ftype == 2: line[i] = (line[i] + b) & 255
        elif ftype == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif ftype == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, stride, bpp * 2):
            pixels.add(bytes(line[x:x + bpp]))
    prev = line
print(f"screenshot {width}x{height}, {len(pixels)} distinct pixel values (sampled)")
sys.exit(0 if len(pixels) > 10 else 1)
PY
fi

if [[ -s "$dom" ]]; then
    for expected in "SaaS usage and ownership audit" "Money at stake" ">48,935<" ">155<" ">62<span> / 100" \
        "Seat utilisation per tool" "Findings by department" "Overlapping tools" \
        "&lt;script&gt;alert(1)&lt;/script&gt;"; do
        grep -qF -- "$expected" "$dom" || fail "the rendered DOM does not show: $expected"
    done
    # The only way the hostile name could run is as an element; the page itself has no scripts.
    if grep -qiE '<script|<img' "$dom"; then
        fail "the rendered DOM holds a <script> or <img> element: a value was not escaped"
    fi
fi

if ((failures > 0)); then
    echo "render test failed ($failures); files in $out_dir" >&2
    exit 1
fi
echo "render test passed: $png, $dom"
