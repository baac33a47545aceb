#!/usr/bin/env bash
# Prepares a Deno cache whose compile runtimes (denort) are stand-ins: the full `deno` binary of
# each release target, from the npm registry (@deno/<platform>). `deno compile` then runs offline
# and writes real executables with real metadata (baked permissions, embedded bundle), but they
# behave like the deno CLI, not like futu-mcp: only a genuine denort makes runnable binaries.
# Used by the compile-metadata test where denort can't be downloaded.
#   scripts/standin_denort.sh <deno-dir>
set -euo pipefail
DENO_DIR_OUT=${1:?usage: scripts/standin_denort.sh <deno-dir>}
VERSION=${DENO_VERSION:-2.9.6}
mkdir -p "$DENO_DIR_OUT/dl/release/v$VERSION"
DEST=$(cd "$DENO_DIR_OUT/dl/release/v$VERSION" && pwd)
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
  zip="$DEST/denort-$target.zip"
  [[ -s "$zip" ]] && continue
  pkg="@deno/${PACKAGES[$target]}@$VERSION"
  (cd "$WORK" && npm pack --silent "$pkg" >/dev/null)
  mkdir -p "$WORK/$target"
  tar xzf "$WORK"/deno-"${PACKAGES[$target]}"-"$VERSION".tgz -C "$WORK/$target"
  if [[ $target == *windows* ]]; then exe=deno.exe runtime=denort.exe; else exe=deno runtime=denort; fi
  mv "$WORK/$target/package/$exe" "$WORK/$target/$runtime"
  (cd "$WORK/$target" && zip -q "$zip.tmp" "$runtime" && mv "$zip.tmp" "$zip")
  echo "stand-in denort for $target: $pkg"
done
