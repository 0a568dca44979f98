#!/usr/bin/env bash
# The machine has a font for each script the UI shows in practice (the sidebar's pin emoji showed as
# a box, and so did Thai text), and both scripts/install-deps and the .deb's Recommends name the
# font packages that bring them.
#   fonts_cover_scripts.sh SOURCE_DIR
set -euo pipefail
src=$1
status=0
if ! command -v fc-list >/dev/null; then echo "fc-list not found (fontconfig)"; exit 1; fi
# code point, what it is
samples=("1f4cc:emoji (the pin)" "1f600:emoji (a face)" "0e01:Thai" "0627:Arabic" "05d0:Hebrew"
         "0915:Devanagari" "0410:Cyrillic" "03b1:Greek" "4e2d:Chinese" "ac00:Korean")
for s in "${samples[@]}"; do
  cp=${s%%:*}
  what=${s#*:}
  fonts=$(fc-list ":charset=$cp" family | head -1)
  if [ -z "$fonts" ]; then echo "no installed font has U+${cp^^} ($what)"; status=1
  else echo "U+${cp^^} $what: $fonts"; fi
done
for p in fonts-noto-color-emoji fonts-noto-core; do
  grep -qw -- "$p" "$src/scripts/install-deps" || { echo "scripts/install-deps does not install $p"; status=1; }
  grep -A3 'CPACK_DEBIAN_PACKAGE_RECOMMENDS' "$src/packaging/CMakeLists.txt" | grep -qw -- "$p" ||
    { echo "the .deb does not recommend $p"; status=1; }
done
exit $status
