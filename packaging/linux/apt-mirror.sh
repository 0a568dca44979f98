#!/usr/bin/env bash
# Prints the URI of the configured apt source that serves this Debian release's main suite
# (deb822 *.sources or one-line *.list), so tests fetch from the same mirror the machine uses.
set -euo pipefail
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")
for f in /etc/apt/sources.list.d/*.sources; do
  [[ -f $f ]] || continue
  # deb822: paragraphs separated by blank lines; want Types: deb, Suites containing the suite.
  uri=$(awk -v suite="$suite" '
    BEGIN { RS=""; FS="\n" }
    {
      types=""; uris=""; suites=""
      for (i = 1; i <= NF; i++) {
        if ($i ~ /^Types:/)  types=$i
        if ($i ~ /^URIs:/)   { uris=$i; sub(/^URIs:[ \t]*/, "", uris) }
        if ($i ~ /^Suites:/) suites=$i
      }
      if (types ~ /(^|[ \t])deb([ \t]|$)/ && (" " suites " ") ~ ("[ \t]" suite "[ \t]")) { split(uris, u, " "); print u[1]; exit }
    }' "$f")
  if [[ -n $uri ]]; then echo "$uri"; exit 0; fi
done
for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
  [[ -f $f ]] || continue
  uri=$(awk -v suite="$suite" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == suite) { print $i; exit } }' "$f")
  if [[ -n $uri ]]; then echo "$uri"; exit 0; fi
done
echo "apt-mirror: no apt source for $suite found in /etc/apt" >&2
exit 1
