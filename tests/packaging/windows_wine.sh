#!/usr/bin/env bash
# The Windows build of ponder-cli, run under wine: --version, inspect and a short run on the tiny
# model stored under a non-ASCII path (模型/小模型.gguf), so the Windows file mapping
# (CreateFileW/MapViewOfFile), the UTF-16 command line and UTF-8 console output are code that ran.
#   windows_wine.sh SOURCE_DIR BUILD_DIR MODEL.gguf
# Skips (exit 77) with a message where mingw-w64 or wine is absent or the model is missing.
set -euo pipefail
src=$1
build=$2
model=$3
if ! command -v wine >/dev/null; then
  echo "SKIP windows_wine: wine is not installed (wine, wine64; scripts/install-deps)"; exit 77
fi
if [[ ! -f $model ]]; then
  echo "SKIP windows_wine: $model is absent (reference test data)"; exit 77
fi
start=$(date +%s)
cmake --build "$build" --target ponder-cli >/dev/null   # the Linux build it is compared with
exe=$(PONDER_BUILD_DIR=$build "$src/scripts/cross-build-windows") || exit $?
echo "built $exe ($(du -k "$exe" | cut -f1) KiB) in $(( $(date +%s) - start )) s"
if [[ -z ${PONDER_CACHE_DIR:-} ]]; then
  if [[ $(id -u) -eq 0 ]]; then PONDER_CACHE_DIR=/var/cache/ponder; else PONDER_CACHE_DIR=${XDG_CACHE_HOME:-$HOME/.cache}/ponder; fi
fi
# wine turns the Unix argv bytes into the UTF-16 command line with the locale's charset: UTF-8 here,
# as on a Linux desktop (a C/POSIX locale would read the bytes as Latin-1).
export LANG=C.UTF-8 LC_ALL=C.UTF-8
export WINEPREFIX=$PONDER_CACHE_DIR/wine-prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
mkdir -p "$WINEPREFIX"
work=$build/tests/packaging/wine
rm -rf "$work"
mkdir -p "$work/模型"
cp "$model" "$work/模型/小模型.gguf"
cd "$work"
status=0
fail() { echo "FAIL: $*"; status=1; }

t=$(date +%s)
got=$(wine "$exe" --version 2>wine-first.log | tr -d '\r') || { cat wine-first.log; echo "FAIL: wine ponder-cli.exe --version"; exit 1; }
echo "wine ponder-cli.exe --version: $got ($(( $(date +%s) - t )) s, wine prefix $WINEPREFIX)"
native=$("$build/tools/ponder-cli" --version)
[[ $got == "$native" ]] || fail "the Windows build says '$got', the Linux build '$native'"

wine "$exe" inspect "模型/小模型.gguf" >inspect.txt 2>&1 || fail "inspect exit status $?"
tr -d '\r' <inspect.txt >inspect.unix.txt
cat inspect.unix.txt | head -12
grep -q "小模型.gguf" inspect.unix.txt || fail "inspect does not print the file's name in UTF-8"
"$build/tools/ponder-cli" inspect "模型/小模型.gguf" >inspect.native.txt 2>&1
diff inspect.native.txt inspect.unix.txt >inspect.diff || fail "inspect differs from the Linux build's: $(head -20 inspect.diff)"

args=(run -m "模型/小模型.gguf" -p "Once upon a time" -n 16 --seed 1 --temp 0 --threads 2 --backend cpu)
wine "$exe" "${args[@]}" >run.txt 2>run.err || { cat run.err; fail "run exit status"; }
tr -d '\r' <run.txt >run.unix.txt
echo "wine ponder-cli.exe run: $(head -c 200 run.unix.txt | tr '\n' ' ')"
"$build/tools/ponder-cli" "${args[@]}" >run.native.txt 2>/dev/null
[[ -s run.unix.txt ]] || fail "run printed nothing"
cmp -s run.native.txt run.unix.txt || fail "greedy run differs from the Linux build's: $(diff run.native.txt run.unix.txt | head -10)"

# A missing non-ASCII file: a clear error naming it, exit 1, no crash.
wine "$exe" inspect "模型/不存在.gguf" >missing.txt 2>&1 && fail "inspect of a missing file succeeded"
tr -d '\r' <missing.txt | grep -q "不存在.gguf" || fail "the error does not name the missing file: $(cat missing.txt)"
[ $status -eq 0 ] && echo "windows build ok under wine ($(( $(date +%s) - start )) s in all)"
exit $status
