#!/bin/sh
# Installs the futu-mcp and futucli release binaries for this machine, checking each
# against the release's SHA256SUMS before anything is installed.
#
#   curl -fsSL https://github.com/OWNER/NAME/releases/latest/download/install.sh | sh
#   curl -fsSL .../install.sh | sh -s -- --version X.Y.Z --prefix DIR
#   sh install.sh [--version X.Y.Z] [--prefix DIR] [--only futu-mcp|futucli] [--repo OWNER/NAME] [--base-url URL]
#
# Run with --help for the options. Env FUTU_INSTALL_TARGET overrides the detected target (useful to
# fetch another machine's binaries). Needs curl or wget, and sha256sum, shasum or openssl; the
# downloaded binaries are never run. Exit codes: 0 installed, 1 failed (nothing installed), 2 usage.
set -eu

# The release workflow replaces this placeholder in the copy of this script it attaches to a release.
REPO_DEFAULT="__GITHUB_REPOSITORY__"

usage() {
  cat <<'EOF_USAGE'
Installs futu-mcp and futucli from a release, checked against its SHA256SUMS.

Usage: install.sh [options]
  --version X.Y.Z     the release to install (default: the latest; env FUTU_INSTALL_VERSION)
  --prefix DIR        where to install (default: $HOME/.local/bin; env FUTU_INSTALL_PREFIX)
  --only NAME         install only futu-mcp or only futucli (default: both)
  --repo OWNER/NAME   the GitHub repository to download the release from
  --base-url URL      a directory holding the release assets and SHA256SUMS, instead of GitHub
                      (env FUTU_INSTALL_BASE_URL)
  -h, --help          this help

Env FUTU_INSTALL_TARGET overrides the detected target: x86_64-unknown-linux-gnu,
aarch64-unknown-linux-gnu, x86_64-apple-darwin or aarch64-apple-darwin.
Exit codes: 0 installed, 1 failed (nothing installed), 2 usage.
EOF_USAGE
}

die() {
  echo "install: error: $*" >&2
  exit 1
}

usage_error() {
  echo "install: $*" >&2
  echo "install: run with --help for usage" >&2
  exit 2
}

warn() {
  echo "install: warning: $*" >&2
}

# Everything runs from main, called on the last line: a download cut short runs nothing.
main() {
  VERSION=${FUTU_INSTALL_VERSION:-}
  PREFIX=${FUTU_INSTALL_PREFIX:-}
  BASE_URL=${FUTU_INSTALL_BASE_URL:-}
  REPO=""
  ONLY=""

  need_value() {
    # $1: the option, $2: how many arguments are left (including the option)
    [ "$2" -ge 2 ] || usage_error "$1 needs a value"
  }

  while [ $# -gt 0 ]; do
    case "$1" in
      --version) need_value "$1" $#; VERSION=$2; shift 2 ;;
      --version=*) VERSION=${1#*=}; shift ;;
      --prefix) need_value "$1" $#; PREFIX=$2; shift 2 ;;
      --prefix=*) PREFIX=${1#*=}; shift ;;
      --base-url) need_value "$1" $#; BASE_URL=$2; shift 2 ;;
      --base-url=*) BASE_URL=${1#*=}; shift ;;
      --repo) need_value "$1" $#; REPO=$2; shift 2 ;;
      --repo=*) REPO=${1#*=}; shift ;;
      --only) need_value "$1" $#; ONLY=$2; shift 2 ;;
      --only=*) ONLY=${1#*=}; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage_error "unknown argument: $1" ;;
    esac
  done

  # --- the arguments ---------------------------------------------------------------------------------

  case "$ONLY" in
    "") PRODUCTS="futu-mcp futucli" ;;
    futu-mcp | futucli) PRODUCTS=$ONLY ;;
    *) usage_error "--only takes futu-mcp or futucli, not '$ONLY'" ;;
  esac

  if [ -n "$VERSION" ]; then
    VERSION=${VERSION#v}
    case "$VERSION" in
      "" | *[!0-9A-Za-z.+-]* | [!0-9]*) usage_error "not a version: '$VERSION' (expected X.Y.Z)" ;;
    esac
  fi

  if [ -z "$PREFIX" ]; then
    [ -n "${HOME:-}" ] || usage_error "HOME is not set: pass --prefix DIR"
    PREFIX=$HOME/.local/bin
  fi
  # No trailing slash, so the PATH check and the messages see the directory as written.
  while :; do
    case "$PREFIX" in
      ?*/) PREFIX=${PREFIX%/} ;;
      *) break ;;
    esac
  done

  if [ -n "$REPO" ]; then
    case "$REPO" in
      */*/* | /* | */ | *[!A-Za-z0-9._/-]*) usage_error "--repo takes OWNER/NAME, not '$REPO'" ;;
      */*) ;;
      *) usage_error "--repo takes OWNER/NAME, not '$REPO'" ;;
    esac
  fi

  if [ -n "$BASE_URL" ]; then
    case "$BASE_URL" in
      https://* | http://*) ;;
      *) usage_error "--base-url takes an http:// or https:// URL, not '$BASE_URL'" ;;
    esac
    BASE_URL=${BASE_URL%/}
  else
    [ -n "$REPO" ] || REPO=$REPO_DEFAULT
    if [ "$REPO" = "__GITHUB_""REPOSITORY__" ]; then
      die "this install.sh does not know which GitHub repository to download from:" \
        "use the install.sh attached to a release, or pass --repo OWNER/NAME or --base-url URL"
    fi
    if [ -n "$VERSION" ]; then
      BASE_URL=https://github.com/$REPO/releases/download/v$VERSION
    else
      BASE_URL=https://github.com/$REPO/releases/latest/download
    fi
  fi

  # --- the target ------------------------------------------------------------------------------------

  detect_target() {
    os=$(uname -s 2>/dev/null || echo unknown)
    cpu=$(uname -m 2>/dev/null || echo unknown)
    case "$os" in
      Linux)
        case "$cpu" in
          x86_64 | amd64) echo x86_64-unknown-linux-gnu ;;
          aarch64 | arm64) echo aarch64-unknown-linux-gnu ;;
          *) return 1 ;;
        esac
        ;;
      Darwin)
        case "$cpu" in
          x86_64)
            # An x86_64 shell under Rosetta on Apple silicon: the native binary is the one to install.
            if [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
              echo aarch64-apple-darwin
            else
              echo x86_64-apple-darwin
            fi
            ;;
          arm64 | aarch64) echo aarch64-apple-darwin ;;
          *) return 1 ;;
        esac
        ;;
      *) return 1 ;;
    esac
  }

  if [ -n "${FUTU_INSTALL_TARGET:-}" ]; then
    TARGET=$FUTU_INSTALL_TARGET
    case "$TARGET" in
      x86_64-unknown-linux-gnu | aarch64-unknown-linux-gnu | x86_64-apple-darwin | aarch64-apple-darwin) ;;
      x86_64-pc-windows-msvc) usage_error "FUTU_INSTALL_TARGET=$TARGET: on Windows, use install.ps1" ;;
      *) usage_error "FUTU_INSTALL_TARGET: unknown target '$TARGET'" ;;
    esac
  else
    TARGET=$(detect_target) ||
      die "no release binary for this machine: uname -s is '$(uname -s 2>/dev/null || true)'," \
        "uname -m is '$(uname -m 2>/dev/null || true)' (there are binaries for Linux x86_64 and aarch64," \
        "macOS x86_64 and arm64, and Windows x64 through install.ps1)"
  fi

  # --- the tools -------------------------------------------------------------------------------------

  if command -v curl >/dev/null 2>&1; then
    DOWNLOADER=curl
  elif command -v wget >/dev/null 2>&1; then
    DOWNLOADER=wget
  else
    die "curl or wget is needed to download the release"
  fi

  if command -v sha256sum >/dev/null 2>&1; then
    HASHER=sha256sum
  elif command -v shasum >/dev/null 2>&1; then
    HASHER=shasum
  elif command -v openssl >/dev/null 2>&1; then
    HASHER=openssl
  else
    die "sha256sum, shasum or openssl is needed to check the downloads"
  fi

  case "$BASE_URL" in
    http://*) warn "downloading over plain http from $BASE_URL: nothing protects the download in transit" ;;
  esac

  # download URL FILE
  download() {
    case "$1" in
      https://*)
        if [ "$DOWNLOADER" = curl ]; then
          curl -fsSL --proto '=https' --proto-redir '=https' --tlsv1.2 --retry 2 -o "$2" "$1"
        elif wget --help 2>&1 | grep -q -- --https-only; then
          wget -q --https-only -O "$2" "$1"
        else
          wget -q -O "$2" "$1"
        fi
        ;;
      *)
        if [ "$DOWNLOADER" = curl ]; then
          curl -fsSL --retry 2 -o "$2" "$1"
        else
          wget -q -O "$2" "$1"
        fi
        ;;
    esac
  }

  # sha256_of FILE: the lowercase hex SHA-256 of FILE
  sha256_of() {
    case "$HASHER" in
      sha256sum) sum=$(sha256sum "$1") || return 1 ;;
      shasum) sum=$(shasum -a 256 "$1") || return 1 ;;
      openssl) sum=$(openssl dgst -sha256 -r "$1") || return 1 ;;
    esac
    # The first field; `openssl dgst -r` prints "<hex> *<file>" like the others.
    echo "${sum%% *}" | tr 'A-F' 'a-f'
  }

  # --- the work directory ----------------------------------------------------------------------------

  WORK=""
  STAGED=""
  cleanup() {
    if [ -n "$STAGED" ]; then
      rm -f "$PREFIX/.futu-mcp.tmp.$$" "$PREFIX/.futucli.tmp.$$"
    fi
    if [ -n "$WORK" ]; then
      rm -rf "$WORK"
    fi
  }
  trap cleanup EXIT
  trap 'exit 1' HUP INT TERM

  WORK=$(mktemp -d "${TMPDIR:-/tmp}/futu-install.XXXXXX") || die "could not create a temporary directory"

  # --- SHA256SUMS ------------------------------------------------------------------------------------

  SUMS=$WORK/SHA256SUMS
  download "$BASE_URL/SHA256SUMS" "$SUMS" || die "could not download $BASE_URL/SHA256SUMS"

  # sums_names: the file names listed in SHA256SUMS ("<hex>  <name>" or "<hex> *<name>")
  sums_names() {
    awk '{ name = $2; sub(/^\*/, "", name); if (NF >= 2) print name }' "$SUMS"
  }

  # sums_hash NAME: the expected hash of NAME, empty when it is not listed
  sums_hash() {
    awk -v want="$1" '{ name = $2; sub(/^\*/, "", name); if (name == want) { print tolower($1); exit } }' "$SUMS"
  }

  FIRST=${PRODUCTS%% *}
  if [ -n "$VERSION" ]; then
    [ -n "$(sums_hash "$FIRST-$VERSION-$TARGET")" ] ||
      die "$FIRST-$VERSION-$TARGET is not in $BASE_URL/SHA256SUMS: no $TARGET binary for version $VERSION there"
  else
    # The version is the part between "<product>-" and "-<target>" of the one matching name.
    VERSIONS=$(sums_names | awk -v p="$FIRST-" -v s="-$TARGET" '
      index($0, p) == 1 && length($0) > length(p) + length(s) && substr($0, length($0) - length(s) + 1) == s {
        print substr($0, length(p) + 1, length($0) - length(p) - length(s))
      }' | sort -u)
    [ -n "$VERSIONS" ] || die "$BASE_URL/SHA256SUMS lists no $FIRST binary for $TARGET"
    if [ "$(echo "$VERSIONS" | wc -l)" -gt 1 ]; then
      die "$BASE_URL/SHA256SUMS lists several versions of $FIRST for $TARGET" \
        "($(echo "$VERSIONS" | tr '\n' ' ' | sed 's/ $//')): pass --version"
    fi
    VERSION=$VERSIONS
    case "$VERSION" in
      *[!0-9A-Za-z.+-]* | [!0-9]*) die "unexpected version '$VERSION' in $BASE_URL/SHA256SUMS" ;;
    esac
  fi

  # --- download and check every binary before touching the prefix -----------------------------------

  for product in $PRODUCTS; do
    name=$product-$VERSION-$TARGET
    expected=$(sums_hash "$name")
    [ -n "$expected" ] || die "$name is not in $BASE_URL/SHA256SUMS"
    case "$expected" in
      *[!0-9a-f]*) die "SHA256SUMS has a malformed hash for $name: $expected" ;;
    esac
    [ ${#expected} -eq 64 ] || die "SHA256SUMS has a malformed hash for $name: $expected"
    download "$BASE_URL/$name" "$WORK/$name" || die "could not download $BASE_URL/$name"
    actual=$(sha256_of "$WORK/$name") || die "could not compute the SHA-256 of $name with $HASHER"
    if [ "$actual" != "$expected" ]; then
      die "checksum mismatch for $name: expected $expected, got $actual; nothing was installed"
    fi
  done

  # --- install ---------------------------------------------------------------------------------------

  if [ -e "$PREFIX" ] && [ ! -d "$PREFIX" ]; then
    die "$PREFIX exists and is not a directory"
  fi
  mkdir -p "$PREFIX" || die "could not create $PREFIX"

  # Each binary is staged next to its final name, then renamed over it: a running copy keeps working,
  # and a failure leaves the previous install as it was.
  for product in $PRODUCTS; do
    staged=$PREFIX/.$product.tmp.$$
    STAGED=yes
    cp "$WORK/$product-$VERSION-$TARGET" "$staged" || die "could not write $staged"
    chmod 755 "$staged" || die "could not make $staged executable"
    case "$TARGET" in
      *-apple-darwin)
        if command -v xattr >/dev/null 2>&1; then
          xattr -d com.apple.quarantine "$staged" >/dev/null 2>&1 || true
        fi
        ;;
    esac
  done
  for product in $PRODUCTS; do
    mv -f "$PREFIX/.$product.tmp.$$" "$PREFIX/$product" || die "could not install $PREFIX/$product"
  done
  STAGED=""

  for product in $PRODUCTS; do
    echo "installed $PREFIX/$product ($product $VERSION, $TARGET)"
  done

  case ":${PATH:-}:" in
    *":$PREFIX:"*) ;;
    *)
      warn "$PREFIX is not on your PATH; add it, e.g. in ~/.profile:"
      echo "    export PATH=\"$PREFIX:\$PATH\"" >&2
      ;;
  esac

  echo ""
  echo "Next:"
  case "$PRODUCTS" in
    *futucli*)
      echo "  futucli mcp-config         # the MCP client configuration for futu-mcp"
      echo "  futucli gen-key --help     # create an API key for your client"
      ;;
    *)
      echo "  install futucli too, then run: futucli mcp-config"
      ;;
  esac
}

main "$@"
