#!/usr/bin/env bash
# Prepares stand-in compile runtimes: the full `deno` binary of each release target, from the npm
# registry (@deno/<platform>), laid out as `deno task build --denort-dir` reads them:
# <dir>/<target>/denort (denort.exe on Windows). `deno compile` then runs offline and writes real
# executables with real metadata (baked permissions, embedded bundle), but they behave like the
# deno CLI, not like futu-mcp: only a genuine denort makes runnable binaries. Used by the
# compile-metadata test where denort can't be downloaded.
#   scripts/standin_denort.sh <dir>
set -euo pipefail
OUT=${1:?usage: scripts/standin_denort.sh <dir>}
VERSION=${DENO_VERSION:-2.9.6}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
declare -A PACKAGES=(
  [x86_64-unknown-linux-gnu]=linux-x64-glibc
  [aarch64-unknown-linux-gnu]=linux-arm64-glibc
  [x86_64-apple-darwin]=darwin-x64
  [aarch64-apple-darwin]=darwin-arm64
  [x86_64-pc-windows-msvc]=win32-x64
)
for target in "${!PACKAGES[@]}"; do
  if [[ $target == *windows* ]]; then exe=deno.exe runtime=denort.exe; else exe=deno runtime=denort; fi
  [[ -s "$OUT/$target/$runtime" ]] && continue
  pkg="@deno/${PACKAGES[$target]}@$VERSION"
  (cd "$WORK" && npm pack --silent "$pkg" >/dev/null)
  mkdir -p "$WORK/$target" "$OUT/$target"
  tar xzf "$WORK"/deno-"${PACKAGES[$target]}"-"$VERSION".tgz -C "$WORK/$target"
  chmod +x "$WORK/$target/package/$exe"
  mv "$WORK/$target/package/$exe" "$OUT/$target/$runtime.tmp"
  mv "$OUT/$target/$runtime.tmp" "$OUT/$target/$runtime"
  echo "stand-in denort for $target: $pkg"
done
