#!/usr/bin/env bash
# Builds the .deb with CPack from an existing build tree and checks what it installs and depends on.
#   check_deb.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$out" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log"; exit 1; }
deb=$(ls "$out"/*.deb)
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
status=0
for f in ./usr/bin/ponder ./usr/bin/ponder-cli \
         ./usr/share/applications/io.github.ponder.Ponder.desktop \
         ./usr/share/metainfo/io.github.ponder.Ponder.metainfo.xml \
         ./usr/share/icons/hicolor/scalable/apps/io.github.ponder.Ponder.svg; do
  if ! grep -qx "$f" <<<"$contents"; then echo "missing from the package: $f"; status=1; fi
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libqt6quick6 qml6-module-qtquick-controls libsqlite3-0; do
  if ! grep -q "$d" <<<"$depends"; then echo "package does not depend on $d: $depends"; status=1; fi
done
# Every QML runtime module package (QML imports are not ELF dependencies).
for d in $(grep -v '^#' "$(dirname "$0")/../../packaging/linux/qml-runtime-packages.txt"); do
  if ! grep -qw -- "$d" <<<"$depends"; then echo "package does not depend on $d: $depends"; status=1; fi
done
# The desktop entry must start the installed binary and name the installed icon.
dpkg-deb -x "$deb" "$out/root"
grep -qx "Exec=ponder %F" "$out/root/usr/share/applications/io.github.ponder.Ponder.desktop" || { echo "bad Exec line"; status=1; }
grep -qx "Icon=io.github.ponder.Ponder" "$out/root/usr/share/applications/io.github.ponder.Ponder.desktop" || { echo "bad Icon line"; status=1; }
[ $status -eq 0 ] && echo "package ok: $(basename "$deb")"
exit $status
