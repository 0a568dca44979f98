#!/usr/bin/env bash
# The engine's libraries for Windows, in one prefix for the mingw-w64 cross-build:
# - PCRE2 (8-bit, static, with JIT) cross-built from Debian's own pcre2 source package, because
#   Debian ships PCRE2 only for Linux. The source comes from the configured apt mirror: a deb-src
#   entry for it is written into a private apt state folder; the system's apt setup is not touched.
# - nlohmann-json, header-only: the host's nlohmann-json3-dev headers and CMake config, copied so the
#   cross-build never searches the host's /usr (whose other headers are Linux ones).
# Cached: a later run finds the prefix complete and only prints it.
#   mingw-deps.sh CACHE_DIR      prints the install prefix (CACHE_DIR/prefix) on stdout
set -euo pipefail
cache=$1
prefix=$cache/prefix
here=$(cd "$(dirname "$0")" && pwd)

if [[ ! -f $prefix/lib/pkgconfig/libpcre2-8.pc ]]; then
  work=$cache/work
  rm -rf "$work"
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial" "$work/src"
  suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
  mirror=$("$here/../linux/apt-mirror.sh")
  echo "deb-src $mirror $suite main" >"$work/apt/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/apt/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
            -o "Dir::State::Lists=$work/apt/lists" -o "Dir::Cache=$work/apt/cache" -o "APT::Sandbox::User=root")
  echo "mingw-deps: fetching Debian's pcre2 source from $mirror" >&2
  apt-get "${apt_opts[@]}" -qq update >&2
  (cd "$work/src" && apt-get "${apt_opts[@]}" -qq source --download-only pcre2 >&2)
  dsc=$(ls "$work"/src/pcre2_*.dsc)
  dpkg-source --no-check -x "$dsc" "$work/src/pcre2" >&2
  echo "mingw-deps: cross-building $(basename "$dsc" .dsc)" >&2
  cmake -S "$work/src/pcre2" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_TOOLCHAIN_FILE="$here/mingw-w64-x86_64.cmake" -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DPCRE2_BUILD_PCRE2_8=ON -DPCRE2_BUILD_PCRE2_16=OFF \
    -DPCRE2_BUILD_PCRE2_32=OFF -DPCRE2_SUPPORT_JIT=ON -DPCRE2_SUPPORT_UNICODE=ON -DPCRE2_BUILD_PCRE2GREP=OFF \
    -DPCRE2_BUILD_TESTS=OFF >&2
  cmake --build "$work/build" -j"$(nproc)" >&2
  cmake --install "$work/build" >&2
  # The library is static: its users must not declare its functions dllimport (PCRE2's .pc omits this).
  sed -i 's/^Cflags: \(.*\)$/Cflags: \1 -DPCRE2_STATIC/' "$prefix/lib/pkgconfig/libpcre2-8.pc"
  rm -rf "$work"
fi

if [[ ! -f $prefix/share/cmake/nlohmann_json/nlohmann_jsonConfig.cmake ]]; then
  [[ -d /usr/include/nlohmann && -d /usr/share/cmake/nlohmann_json ]] ||
    { echo "mingw-deps: nlohmann-json3-dev is not installed" >&2; exit 1; }
  mkdir -p "$prefix/include" "$prefix/share/cmake"
  cp -r /usr/include/nlohmann "$prefix/include/"
  cp -r /usr/share/cmake/nlohmann_json "$prefix/share/cmake/"
fi
echo "$prefix"
