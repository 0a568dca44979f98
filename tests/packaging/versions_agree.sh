#!/usr/bin/env bash
# `ponder --version` and `ponder-cli --version` print one version: the top-level CMake project's,
# with the checkout's commit when built from git. (The About box shows QCoreApplication's
# applicationVersion, which main() sets from the same function.)
#   versions_agree.sh SOURCE_DIR BUILD_DIR PROJECT_VERSION
set -euo pipefail
src=$1
build=$2
expected=$3
# Up to date with the checkout (the commit is read at build time; a commit since the last build
# would otherwise be a false alarm).
targets=(ponder-cli)
[[ -x $build/app/ponder ]] && targets+=(ponder)
cmake --build "$build" --target "${targets[@]}" >/dev/null
cli=$("$build/tools/ponder-cli" --version)
status=0
echo "ponder-cli --version: $cli"
[[ $cli == "ponder-cli $expected"* ]] || { echo "FAIL: ponder-cli's version is not the project's $expected"; status=1; }
if [[ -x $build/app/ponder ]]; then
  # No display and no platform plugin: --version must answer before any window system is touched.
  app=$(env -u DISPLAY -u WAYLAND_DISPLAY QT_QPA_PLATFORM=none "$build/app/ponder" --version)
  echo "ponder --version: $app"
  [[ ${app#ponder } == "${cli#ponder-cli }" ]] || { echo "FAIL: ponder and ponder-cli disagree"; status=1; }
  env -u DISPLAY QT_QPA_PLATFORM=none "$build/app/ponder" --help | grep -q "Usage: ponder" ||
    { echo "FAIL: ponder --help"; status=1; }
fi
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  commit=$(git -C "$src" rev-parse --short=12 HEAD)
  [[ $cli == *"(git $commit"* ]] || { echo "FAIL: the version does not name the checkout's commit $commit"; status=1; }
fi
exit $status
