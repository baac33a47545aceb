#!/usr/bin/env bash
# Runs a command with gnome-keyring's Secret Service started and unlocked in the current
# D-Bus session (call it under dbus-run-session). The login keyring lives in a throwaway
# XDG data directory so that CI never touches a real user's keyring.
set -euo pipefail
XDG_DATA_HOME=$(mktemp -d)
export XDG_DATA_HOME
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
eval "$(printf 'ci-keyring' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
