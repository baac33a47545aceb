#!/usr/bin/env bash
# futu-mcp over HTTP on the simulator, checked by the MCP conformance suite (with a baseline of
# fixture-only scenarios) and smoke-tested with the MCP Inspector CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
DENO=(npx -y "deno@${DENO_VERSION:-2.9.6}")
# The binary itself, so that the server's PID is Deno's (npx would leave it orphaned on kill).
DENO_BIN=$("${DENO[@]}" eval --quiet 'console.log(Deno.execPath())')
PORT=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
URL="http://127.0.0.1:${PORT}/mcp"

"$DENO_BIN" run --no-prompt --allow-net=127.0.0.1 --allow-env='FUTU_*' --ignore-env main.ts \
  --gateway sim --enable-trading --http-listen "127.0.0.1:${PORT}" >futu-mcp-ci.log 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
node -e "
  const deadline = Date.now() + 60000;
  (async function poll() {
    try { if ((await fetch('http://127.0.0.1:${PORT}/healthz')).ok) process.exit(0); } catch {}
    if (Date.now() > deadline) { console.error('futu-mcp did not start'); process.exit(1); }
    setTimeout(poll, 200);
  })();"

echo "== MCP conformance suite against ${URL}"
"${DENO[@]}" run -A --lock=deno.dev.lock npm:@modelcontextprotocol/conformance@0.1.16 server --url "$URL" \
  --expected-failures .ci/conformance-baseline.yml -o conformance-results

echo "== MCP Inspector CLI smoke test"
# The Inspector installed (pinned) in .ci/clients by .ci/run.
INSPECTOR=(node .ci/clients/node_modules/.bin/mcp-inspector --cli "$URL" --transport http)
# Output is captured first: `grep -q` closing the pipe early would fail the pipeline under pipefail.
TOOLS=$("${INSPECTOR[@]}" --method tools/list 2>/dev/null)
grep -q '"futu_place_order"' <<<"$TOOLS" || { echo "Inspector: tools/list lacks futu_place_order" >&2; exit 1; }
QUOTE=$("${INSPECTOR[@]}" --method tools/call --tool-name futu_get_quote --tool-arg symbol=HK.00700 2>/dev/null)
grep -q '"symbol": "HK.00700"' <<<"$QUOTE" || { echo "Inspector: futu_get_quote returned no HK.00700 quote" >&2; exit 1; }
echo "Inspector: tools/list and tools/call OK"

echo "== MCP Inspector --strict: schema portability over HTTP"
# --strict prints its findings on stderr ("N errors, M warnings across K tools") and nothing when clean.
LINT=$("${INSPECTOR[@]}" --method tools/list --strict 2>&1 >/dev/null) || { echo "$LINT" >&2; exit 1; }
if grep -q ' across ' <<<"$LINT"; then echo "$LINT" >&2; exit 1; fi
echo "Inspector --strict: no warnings"
