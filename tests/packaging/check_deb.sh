#!/usr/bin/env bash
# Builds the .deb (scripts/package-deb) and checks what it installs and depends on, and that its
# desktop entry, MIME type and AppStream metadata validate.
#   check_deb.sh SOURCE_DIR BUILD_DIR OUT_DIR
set -euo pipefail
src=$1
build=$2
out=$3
rm -rf "$out"
mkdir -p "$out"
deb=$(PONDER_BUILD_DIR=$build "$src/scripts/package-deb" "$out")
echo "package: $(basename "$deb"), $(du -k "$deb" | cut -f1) KiB"
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
status=0
expect=(./usr/bin/ponder ./usr/bin/ponder-cli
        ./usr/share/applications/io.github.ponder.Ponder.desktop
        ./usr/share/metainfo/io.github.ponder.Ponder.metainfo.xml
        ./usr/share/mime/packages/io.github.ponder.Ponder.xml
        ./usr/share/icons/hicolor/scalable/apps/io.github.ponder.Ponder.svg
        ./usr/share/doc/ponder/copyright)
for size in 16 22 24 32 48 64 128 256 512; do
  expect+=("./usr/share/icons/hicolor/${size}x${size}/apps/io.github.ponder.Ponder.png")
done
for f in "${expect[@]}"; do
  if ! grep -qx "$f" <<<"$contents"; then echo "missing from the package: $f"; status=1; fi
done
depends=$(dpkg-deb -f "$deb" Depends)
for d in libqt6quick6 qml6-module-qtquick-controls qml6-module-qtquick-dialogs libsqlite3-0 libpcre2-8-0 libqt6svg6; do
  if ! grep -q "$d" <<<"$depends"; then echo "package does not depend on $d: $depends"; status=1; fi
done
if grep -q "libvulkan" <<<"$(objdump -p "$build/app/ponder" 2>/dev/null | grep NEEDED)" && ! grep -q libvulkan1 <<<"$depends"; then
  echo "ponder links the Vulkan loader but the package does not depend on libvulkan1"; status=1
fi
# Every QML runtime module package (QML imports are not ELF dependencies).
for d in $(grep -v '^#' "$(dirname "$0")/../../packaging/linux/qml-runtime-packages.txt"); do
  if ! grep -qw -- "$d" <<<"$depends"; then echo "package does not depend on $d: $depends"; status=1; fi
done
dpkg-deb -x "$deb" "$out/root"
share=$out/root/usr/share
desktop=$share/applications/io.github.ponder.Ponder.desktop
# The desktop entry starts the installed binary with the opened files, names the installed icon
# and claims the MIME type the package defines.
grep -qx "Exec=ponder %F" "$desktop" || { echo "bad Exec line"; status=1; }
grep -qx "Icon=io.github.ponder.Ponder" "$desktop" || { echo "bad Icon line"; status=1; }
grep -qx "MimeType=application/x-gguf;" "$desktop" || { echo "bad MimeType line"; status=1; }
grep -q 'mime-type type="application/x-gguf"' "$share/mime/packages/io.github.ponder.Ponder.xml" ||
  { echo "MIME XML does not define application/x-gguf"; status=1; }
grep -q '<glob pattern="\*.gguf"/>' "$share/mime/packages/io.github.ponder.Ponder.xml" ||
  { echo "MIME XML has no *.gguf glob"; status=1; }
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || { echo "desktop-file-validate failed"; status=1; }
else
  echo "SKIP desktop-file-validate: not installed (desktop-file-utils)"
fi
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net "$share/metainfo/io.github.ponder.Ponder.metainfo.xml" ||
    { echo "appstreamcli validate failed"; status=1; }
else
  echo "SKIP appstreamcli validate: not installed (appstream)"
fi
# A MIME database built from the package's XML alone must map *.gguf (and GGUF's magic) to the type.
if command -v update-mime-database >/dev/null; then
  mkdir -p "$out/mime/packages"
  cp "$share/mime/packages/io.github.ponder.Ponder.xml" "$out/mime/packages/"
  update-mime-database "$out/mime" >/dev/null 2>&1
  grep -q "application/x-gguf:\*.gguf" "$out/mime/globs2" || { echo "MIME database has no *.gguf glob"; status=1; }
else
  echo "SKIP update-mime-database: not installed (shared-mime-info)"
fi
# Icons are real PNGs of their nominal size.
for size in 16 48 256; do
  png=$share/icons/hicolor/${size}x${size}/apps/io.github.ponder.Ponder.png
  got=$(file -b "$png" 2>/dev/null || true)
  grep -q "PNG image data, $size x $size" <<<"$got" || { echo "bad icon $png: $got"; status=1; }
done
[ $status -eq 0 ] && echo "package ok: $(basename "$deb")"
exit $status
