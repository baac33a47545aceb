#!/usr/bin/env bash
# Rotates a futu-mcp API key without downtime for its client:
#   1. futucli rotate-key: a new plaintext for the key (same id, scopes and limits),
#      and SIGHUP to the running futu-mcp (through its --pid-file);
#   2. the client's environment file gets FUTU_MCP_API_KEY=<new key>, atomically, mode 0600;
#   3. the running server is checked: the new key is accepted and the old one refused.
#
# Usage:
#   scripts/rotate-keys.sh --id KEY_ID --env-file FILE --pid-file FILE --url http://127.0.0.1:38765/mcp \
#     [--keys-file FILE] [--timeout SECONDS]
#
# Needs futucli (or FUTUCLI="command to run it"), jq and curl. Exit codes: 0 rotated and verified,
# 1 rotation failed (nothing changed unless futucli said so), 2 usage, 3 rotated but not verified.
# No key is ever on a command line (ps shows those to every user): curl reads its header from stdin.
set -euo pipefail

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

ID="" ENV_FILE="" PID_FILE="" URL="" KEYS_FILE="" TIMEOUT=10
while (($#)); do
  case "$1" in
    --id) ID=${2:?}; shift 2 ;;
    --env-file) ENV_FILE=${2:?}; shift 2 ;;
    --pid-file) PID_FILE=${2:?}; shift 2 ;;
    --url) URL=${2:?}; shift 2 ;;
    --keys-file) KEYS_FILE=${2:?}; shift 2 ;;
    --timeout) TIMEOUT=${2:?}; shift 2 ;;
    -h | --help) usage ;;
    *) echo "rotate-keys: unknown argument $1" >&2; usage ;;
  esac
done
[[ -n $ID && -n $ENV_FILE && -n $PID_FILE && -n $URL ]] || usage
for tool in jq curl; do
  command -v "$tool" >/dev/null || { echo "rotate-keys: $tool is required" >&2; exit 1; }
done
# FUTUCLI may hold a command with arguments (e.g. "deno run … cli/main.ts"): split on spaces on purpose.
read -ra FUTUCLI_CMD <<<"${FUTUCLI:-futucli}"

# The old key, to prove afterwards that it is refused.
OLD_KEY=""
if [[ -f $ENV_FILE ]]; then
  OLD_KEY=$(sed -n 's/^FUTU_MCP_API_KEY=//p' "$ENV_FILE" | tail -n 1)
fi

args=(-o json rotate-key --id "$ID" --pid-file "$PID_FILE")
[[ -n $KEYS_FILE ]] && args+=(--keys-file "$KEYS_FILE")
RESULT=$("${FUTUCLI_CMD[@]}" "${args[@]}") || { echo "rotate-keys: futucli rotate-key failed" >&2; exit 1; }
NEW_KEY=$(jq -er '.plaintext' <<<"$RESULT")
jq -e '.reload.reloaded' <<<"$RESULT" >/dev/null ||
  echo "rotate-keys: warning: futu-mcp was not signalled: $(jq -r '.reload.instruction' <<<"$RESULT")" >&2

# The environment file, replaced atomically: a private temporary file in the same directory, then rename.
dir=$(dirname "$ENV_FILE")
tmp=$(umask 077 && mktemp "$dir/.rotate-keys.XXXXXX")
trap 'rm -f "$tmp"' EXIT
if [[ -f $ENV_FILE ]]; then
  grep -v '^FUTU_MCP_API_KEY=' "$ENV_FILE" >"$tmp" || true
fi
printf 'FUTU_MCP_API_KEY=%s\n' "$NEW_KEY" >>"$tmp"
chmod 600 "$tmp"
mv -f "$tmp" "$ENV_FILE"
trap - EXIT

# curl with the key's Authorization header read from a config on its stdin (`-K -`): a key on the command
# line would be visible to every user of the machine in ps and /proc/*/cmdline. printf is a bash builtin, so
# the key is in no process's arguments. Keys are fc_<hex>: nothing in them needs quoting.
curl_with_key() {
  local key=$1
  shift
  printf 'header = "Authorization: Bearer %s"\n' "$key" | curl -K - "$@"
}

# The HTTP status futu-mcp gives an MCP initialize with a key; a session it opens is closed again.
status_with() {
  local headers status session
  headers=$(curl_with_key "$1" -s -o /dev/null -D - -X POST "$URL" \
    -H 'content-type: application/json' \
    -H 'accept: application/json, text/event-stream' \
    -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"rotate-keys","version":"1"}}}') ||
    { echo 000; return; }
  status=$(head -n 1 <<<"$headers" | awk '{print $2}')
  session=$(tr -d '\r' <<<"$headers" | sed -n 's/^mcp-session-id: *//Ip')
  if [[ -n $session ]]; then
    curl_with_key "$1" -s -o /dev/null -X DELETE "$URL" -H "mcp-session-id: $session" || true
  fi
  echo "${status:-000}"
}

deadline=$((SECONDS + TIMEOUT))
while :; do
  new_status=$(status_with "$NEW_KEY")
  old_status=401
  [[ -n $OLD_KEY ]] && old_status=$(status_with "$OLD_KEY")
  if [[ $new_status == 200 && $old_status == 401 ]]; then
    echo "rotate-keys: key \"$ID\" rotated; $ENV_FILE updated; the new key works and the old one is refused" >&2
    exit 0
  fi
  if ((SECONDS >= deadline)); then
    echo "rotate-keys: key \"$ID\" rotated and $ENV_FILE updated, but the server at $URL answers" \
      "$new_status to the new key and $old_status to the old one (expected 200 and 401)" >&2
    exit 3
  fi
  sleep 0.2
done
