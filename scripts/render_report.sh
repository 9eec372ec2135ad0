#!/usr/bin/env bash
# Renders a run report (report.html) to a PNG with headless Chromium (Debian package `chromium`;
# scripts/setup.sh installs it), to look at the page as a browser draws it.
# Usage: scripts/render_report.sh <run>/report.html out.png [width] [height]
# The window is width x height CSS pixels (default 1400 x 6000); the blank space below the page
# is trimmed when python3 has Pillow. --no-sandbox: Chromium refuses to start as root without it (CI).
set -euo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 <report.html> <out.png> [width] [height]" >&2
    exit 2
fi
html=$(realpath "$1")
out=$(realpath -m "$2")
width=${3:-1400}
height=${4:-6000}
[ -f "$html" ] || { echo "error: $html does not exist; run \`fledge report <run>\` to write it" >&2; exit 1; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "error: no chromium found; install it with \`apt-get install chromium\` (scripts/setup.sh does)" >&2; exit 1; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$profile" \
    --window-size="$width,$height" --screenshot="$out" "file://$html" 2> "$profile/stderr" || {
    cat "$profile/stderr" >&2
    exit 1
}
[ -s "$out" ] || { cat "$profile/stderr" >&2; echo "error: chromium wrote no screenshot" >&2; exit 1; }
python3 - "$out" <<'PY' 2>/dev/null || true
import sys
from PIL import Image, ImageChops
image = Image.open(sys.argv[1]).convert("RGB")
background = Image.new("RGB", image.size, image.getpixel((image.width - 1, image.height - 1)))
box = ImageChops.difference(image, background).getbbox()
if box:
    image.crop((0, 0, image.width, min(image.height, box[3] + 24))).save(sys.argv[1])
PY
echo "saved $out"
