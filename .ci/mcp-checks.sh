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
SUBSCRIBER=""
cleanup() {
  if [[ -n "$SUBSCRIBER" ]]; then kill "$SUBSCRIBER" 2>/dev/null || true; fi
  if [[ -n "${MCP_INSPECTOR_DAEMON_DIR:-}" ]]; then node .ci/clients/node_modules/.bin/mcpdo daemon stop >/dev/null 2>&1 || true; fi
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
}
trap cleanup EXIT
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

echo "== MCP Inspector CLI: resources and prompts"
TEMPLATES=$("${INSPECTOR[@]}" --method resources/templates/list 2>/dev/null)
for template in 'futu://quote/{symbol}' 'futu://orderbook/{symbol}' 'futu://account/{acc_id}/positions' \
  'futu://account/{acc_id}/orders' 'futu://account/{acc_id}/funds'; do
  grep -qF "\"uriTemplate\": \"${template}\"" <<<"$TEMPLATES" || { echo "Inspector: no template ${template}" >&2; exit 1; }
done
RESOURCES=$("${INSPECTOR[@]}" --method resources/list 2>/dev/null)
grep -qF '"uri": "futu://account/6234567/positions"' <<<"$RESOURCES" ||
  { echo "Inspector: resources/list lacks the paper account's positions" >&2; exit 1; }
READ=$("${INSPECTOR[@]}" --method resources/read --uri futu://quote/HK.00700 2>/dev/null)
grep -qF '"mimeType": "application/json"' <<<"$READ" && grep -qF '\"symbol\":\"HK.00700\"' <<<"$READ" ||
  { echo "Inspector: resources/read of futu://quote/HK.00700 returned no HK.00700 quote" >&2; exit 1; }
PROMPTS=$("${INSPECTOR[@]}" --method prompts/list 2>/dev/null)
grep -qF '"name": "pre_trade_checklist"' <<<"$PROMPTS" || { echo "Inspector: prompts/list lacks pre_trade_checklist" >&2; exit 1; }
for name in portfolio_review market_brief; do
  grep -qF "\"name\": \"${name}\"" <<<"$PROMPTS" || { echo "Inspector: prompts/list lacks ${name}" >&2; exit 1; }
done
CHECKLIST=$("${INSPECTOR[@]}" --method prompts/get --prompt-name pre_trade_checklist \
  --prompt-args symbol=HK.00700 side=BUY qty=150 price=400 2>/dev/null)
grep -q 'qty 150 is not a multiple of lot size 100' <<<"$CHECKLIST" ||
  { echo "Inspector: pre_trade_checklist lacks the lot-size item" >&2; exit 1; }
REVIEW=$("${INSPECTOR[@]}" --method prompts/get --prompt-name portfolio_review 2>/dev/null)
grep -q 'Portfolio review: SIMULATE account' <<<"$REVIEW" || { echo "Inspector: portfolio_review failed" >&2; exit 1; }
BRIEF=$("${INSPECTOR[@]}" --method prompts/get --prompt-name market_brief --prompt-args market=HK 2>/dev/null)
grep -q 'Market brief: HK' <<<"$BRIEF" || { echo "Inspector: market_brief failed" >&2; exit 1; }
if "${INSPECTOR[@]}" --method prompts/get --prompt-name market_brief --prompt-args market=XX >/dev/null 2>&1; then
  echo "Inspector: market_brief accepted market=XX" >&2
  exit 1
fi
echo "Inspector: resources/templates/list, resources/list, resources/read, prompts/list and prompts/get OK"

echo "== MCP Inspector mcpdo: completion, and a resource subscription updated by an order"
# The --cli mode has no completion or subscribe methods; mcpdo (the same Inspector package) has, on a
# connection held by a private daemon, with nothing written to the OS keychain.
export MCP_INSPECTOR_SECRET_STORE=memory
MCPDO=(node .ci/clients/node_modules/.bin/mcpdo)
eval "$("${MCPDO[@]}" private)"
MCPDO_DIR=$(mktemp -d)
printf '{"mcpServers":{"futu":{"type":"streamable-http","url":"%s"}}}\n' "$URL" >"$MCPDO_DIR/mcp.json"
"${MCPDO[@]}" connect futu --config "$MCPDO_DIR/mcp.json" >/dev/null 2>"$MCPDO_DIR/connect.log" ||
  { cat "$MCPDO_DIR/connect.log" >&2; exit 1; }
COMPLETE=("${MCPDO[@]}" --format json @futu prompts/complete)
SYMBOLS=$("${COMPLETE[@]}" --complete-ref-type ref/resource --complete-ref 'futu://quote/{symbol}' \
  --complete-arg-name symbol --complete-arg-value 007 2>/dev/null)
grep -qF '"HK.00700"' <<<"$SYMBOLS" || { echo "Inspector: completion of symbol 007 lacks HK.00700: $SYMBOLS" >&2; exit 1; }
SIDES=$("${COMPLETE[@]}" --complete-ref-type ref/prompt --complete-ref pre_trade_checklist --complete-arg-name side \
  --complete-arg-value S 2>/dev/null)
grep -qF '"SELL"' <<<"$SIDES" || { echo "Inspector: completion of side S lacks SELL: $SIDES" >&2; exit 1; }
# A resting limit order (accepted whether HK trades now or not) pushes an order update.
ORDERS_URI=futu://account/6234567/orders
"${MCPDO[@]}" --format json @futu resources/subscribe "$ORDERS_URI" >"$MCPDO_DIR/subscription.log" 2>&1 &
SUBSCRIBER=$!
await_line() { # pattern, what: polls the subscription's output for 30 s
  for _ in $(seq 150); do
    grep -qF "$1" "$MCPDO_DIR/subscription.log" && return 0
    sleep 0.2
  done
  echo "Inspector: no $2 within 30 s:" >&2
  cat "$MCPDO_DIR/subscription.log" >&2
  exit 1
}
await_line '"type": "subscribed"' "subscription"
PLACED=$("${MCPDO[@]}" --format json @futu tools/call futu_place_order symbol:=HK.00700 side:=BUY qty:=100 price:=300 2>&1)
grep -qF '"order_id"' <<<"$PLACED" || { echo "Inspector: the order was not placed: $PLACED" >&2; exit 1; }
await_line '"type": "resources/updated"' "resources/updated for $ORDERS_URI"
echo "Inspector: completion and resources/subscribe → notifications/resources/updated OK"

echo "== MCP Inspector --strict: schema portability over HTTP"
# --strict prints its findings on stderr ("N errors, M warnings across K tools") and nothing when clean.
LINT=$("${INSPECTOR[@]}" --method tools/list --strict 2>&1 >/dev/null) || { echo "$LINT" >&2; exit 1; }
if grep -q ' across ' <<<"$LINT"; then echo "$LINT" >&2; exit 1; fi
echo "Inspector --strict: no warnings"
