/**
 * MCP completion (`completion/complete`) of the resource templates' and the
 * prompts' arguments, by argument name: `symbol` from the user's watchlist
 * and the security catalog (futu_search_securities), `acc_id` from the
 * caller's visible accounts, and the fixed vocabularies of `market`, `side`
 * and `env`; `price` and `qty` from the chosen symbol's quote and lot size.
 *
 * Every lookup is a tool call through the reader guard. A lookup the key may
 * not make (or that fails) offers nothing: completion is a convenience, and
 * the call the completed value goes into is checked again.
 *
 * @module
 */
import { type ParsedSymbol, parseSymbol, TRD_SIDE } from "../gateway/mod.ts";
import type { CallMeta, ToolGuard } from "../tools/guard.ts";
import { mcpError, tryTool, visibleAccounts, watchlist } from "./_resource_call.ts";
import { TEMPLATE_ARGUMENTS } from "./_resource_uri.ts";
import { PROMPTS } from "./prompts.ts";
import { type CompleteRequest, type CompleteResult, ErrorCode } from "./sdk.ts";

/** MCP's cap on the values of one completion. */
const MAX_VALUES = 100;
/** How many catalog matches one completion asks OpenD for (futu_search_securities' maximum). */
const SEARCH_COUNT = 50;
/** The markets of `market` arguments (market_brief's: CN is SH and SZ together). */
const MARKETS = ["HK", "US", "SH", "SZ", "CN"];

type Params = CompleteRequest["params"];
type Context = Record<string, string>;

/** Candidate values, and whether more exist than were collected. */
interface Candidates {
  values: string[];
  truncated?: boolean;
}

/** How well a candidate matches the typed text: prefix before substring; undefined: no match. */
function rank(typed: string, ...fields: string[]): number | undefined {
  if (typed === "") return 0;
  const needle = typed.toLowerCase();
  const texts = fields.map((f) => f.toLowerCase());
  if (texts.some((t) => t.startsWith(needle))) return 0;
  if (texts.some((t) => t.includes(needle))) return 1;
  return undefined;
}

/** The values starting with the typed text (case-insensitive); with `within`, then those containing it. */
function matching(typed: string, values: readonly string[], within = false): Candidates {
  const ranked = values.flatMap((value, i) => {
    const r = rank(typed.trim(), value);
    return r === undefined || (r > 0 && !within) ? [] : [{ value, r, i }];
  });
  return { values: ranked.sort((a, b) => a.r - b.r || a.i - b.i).map((c) => c.value) };
}

function isMarket(prefix: string): boolean {
  try {
    parseSymbol(`${prefix}.0`);
    return true;
  } catch {
    return false;
  }
}

/** Symbols: the watchlist's matches (code, symbol or name), then the catalog's, each once. */
async function symbols(reader: ToolGuard, typed: string, meta: CallMeta): Promise<Candidates> {
  const text = typed.trim();
  const dot = text.indexOf(".");
  const market = dot > 0 && isMarket(text.slice(0, dot)) ? text.slice(0, dot).toUpperCase() : undefined;
  const keyword = (market ? text.slice(dot + 1) : text).slice(0, 64);
  const [watched, found] = await Promise.all([
    watchlist(reader, meta),
    keyword === "" ? undefined : tryTool(reader, "futu_search_securities", { keyword, max_count: SEARCH_COUNT }, meta),
  ]);
  const ranked = watched.flatMap((entry, i) => {
    const code = entry.symbol.slice(entry.symbol.indexOf(".") + 1);
    const r = market
      ? (entry.symbol.startsWith(`${market}.`) ? rank(keyword, code) : undefined)
      : rank(text, entry.symbol, code, entry.name);
    return r === undefined ? [] : [{ symbol: entry.symbol, r, i }];
  }).sort((a, b) => a.r - b.r || a.i - b.i).map((c) => c.symbol);
  const catalog = (found?.symbols ?? []) as string[];
  const values = [...new Set([...ranked, ...catalog.filter((s) => !market || s.startsWith(`${market}.`))])];
  return { values, truncated: catalog.length >= SEARCH_COUNT };
}

/** The symbol already chosen, if it is one. */
function chosenSymbol(context: Context): ParsedSymbol | undefined {
  try {
    return context.symbol ? parseSymbol(context.symbol) : undefined;
  } catch {
    return undefined;
  }
}

/** The trading markets an account needs for a quote market (A-shares: CN on paper, HKCC via Stock Connect). */
function tradingMarkets(market: string): string[] {
  if (market === "SH" || market === "SZ" || market === "CN") return ["CN", "HKCC"];
  return [market === "HK_FUTURE" ? "HK" : market];
}

/** Account ids the caller may see, narrowed by the `env`, `market` or `symbol` already chosen. */
async function accountIds(reader: ToolGuard, typed: string, context: Context, meta: CallMeta): Promise<Candidates> {
  const accounts = await visibleAccounts(reader, meta).catch(() => []);
  const env = context.env?.trim().toUpperCase();
  const market = context.market?.trim().toUpperCase() || chosenSymbol(context)?.market;
  const trading = market ? tradingMarkets(market) : undefined;
  const fitting = accounts.filter((a) =>
    (!env || a.env === env) && (!trading || a.markets.some((m) => trading.includes(m)))
  );
  // Also by a part of the id: people remember an account's last digits.
  return matching(typed, fitting.map((a) => a.acc_id), true);
}

/** The chosen symbol's last price. */
async function prices(reader: ToolGuard, typed: string, context: Context, meta: CallMeta): Promise<Candidates> {
  const symbol = chosenSymbol(context)?.symbol;
  if (!symbol) return { values: [] };
  const quote = await tryTool(reader, "futu_get_quote", { symbol }, meta);
  const price = (quote?.quotes as { price?: number }[] | undefined)?.[0]?.price;
  return matching(typed, price === undefined ? [] : [String(price)]);
}

/** Whole lots of the chosen symbol: 1, 2, 5 and 10 lots. */
async function quantities(reader: ToolGuard, typed: string, context: Context, meta: CallMeta): Promise<Candidates> {
  const symbol = chosenSymbol(context)?.symbol;
  if (!symbol) return { values: [] };
  const info = await tryTool(reader, "futu_get_static", { symbols: [symbol] }, meta);
  const lot = (info?.securities as { lot_size?: number }[] | undefined)?.[0]?.lot_size;
  if (!lot || lot <= 0) return { values: [] };
  return matching(typed, [1, 2, 5, 10].map((n) => String(n * lot)));
}

/** The completers, by argument name. */
const COMPLETERS: Record<
  string,
  (reader: ToolGuard, typed: string, context: Context, meta: CallMeta) => Promise<Candidates>
> = {
  symbol: (reader, typed, _context, meta) => symbols(reader, typed, meta),
  acc_id: accountIds,
  market: (_reader, typed) => Promise.resolve(matching(typed, MARKETS)),
  side: (_reader, typed) => Promise.resolve(matching(typed, TRD_SIDE.names)),
  env: (_reader, typed) => Promise.resolve(matching(typed, ["simulate", "real"])),
  price: prices,
  qty: quantities,
};

/** The argument names a reference takes; an McpError for an unknown reference. */
function argumentsOf(ref: Params["ref"]): readonly string[] {
  if (ref.type === "ref/resource") {
    const names = TEMPLATE_ARGUMENTS.get(ref.uri);
    if (!names) {
      throw mcpError(
        ErrorCode.InvalidParams,
        `unknown resource template ${JSON.stringify(ref.uri)}: resources/templates/list shows them`,
      );
    }
    return names;
  }
  const prompt = PROMPTS.find((p) => p.name === ref.name);
  if (!prompt) {
    throw mcpError(ErrorCode.InvalidParams, `unknown prompt ${JSON.stringify(ref.name)}: prompts/list shows them`);
  }
  return (prompt.arguments ?? []).map((a) => a.name);
}

/** `completion/complete`. An argument the reference does not take, or nothing matching, completes to no values. */
export async function complete(reader: ToolGuard, params: Params, meta: CallMeta): Promise<CompleteResult> {
  const name = params.argument.name;
  const completer = argumentsOf(params.ref).includes(name) && Object.hasOwn(COMPLETERS, name)
    ? COMPLETERS[name]
    : undefined;
  if (!completer) return { completion: { values: [], total: 0, hasMore: false } };
  const found = await completer(reader, params.argument.value, params.context?.arguments ?? {}, meta);
  const values = found.values.slice(0, MAX_VALUES);
  const hasMore = found.truncated === true || found.values.length > values.length;
  // The total is known unless the catalog had more matches than it returned.
  return { completion: { values, ...(found.truncated ? {} : { total: found.values.length }), hasMore } };
}
