#!/usr/bin/env bash
# The browser bundle's size: builds the release site (`cargo leptos build
# --release`: the wasm-release profile, wasm-bindgen, wasm-opt) and prints
# the .wasm and .js sizes (and the CodeMirror bundle's), raw and gzipped
# (`gzip -9`), against the issue's budget of 1 MB gzipped wasm. `--no-build` measures the site as it is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# cargo-leptos writes the site under the workspace (site-root), whatever CARGO_TARGET_DIR is.
pkg="$root/target/site/pkg"
budget=$((1024 * 1024))

if [[ "${1:-}" != "--no-build" ]]; then
  make --no-print-directory codemirror >&2
  LEPTOS_OUTPUT_NAME=dashstudio cargo leptos build --release >&2
fi

wasm="$pkg/dashstudio.wasm"
js="$pkg/dashstudio.js"
for f in "$wasm" "$js"; do
  [[ -f "$f" ]] || { echo "wasm-size: $f not found (build the site first)" >&2; exit 1; }
done

gz() { gzip -9 -c "$1" | wc -c; }
row() { awk -v n="$1" -v r="$2" -v g="$3" 'BEGIN { printf "%-16s %12d B %9.1f KiB   gzip -9 %10d B %8.1f KiB\n", n, r, r / 1024, g, g / 1024 }'; }

wasm_raw=$(wc -c <"$wasm"); wasm_gz=$(gz "$wasm")
js_raw=$(wc -c <"$js"); js_gz=$(gz "$js")
echo "bundle: $pkg"
row "dashstudio.wasm" "$wasm_raw" "$wasm_gz"
row "dashstudio.js" "$js_raw" "$js_gz"
# The CodeMirror editors' script (codemirror/, esbuild), loaded by every page.
cm="$root/target/site/codemirror/codemirror.js"
if [[ -f "$cm" ]]; then
  row "codemirror.js" "$(wc -c <"$cm")" "$(gz "$cm")"
fi
if (( wasm_gz > budget )); then
  echo "wasm gzipped: $wasm_gz B, over the 1 MB budget by $((wasm_gz - budget)) B"
else
  echo "wasm gzipped: $wasm_gz B, within the 1 MB budget ($((budget - wasm_gz)) B to spare)"
fi
