/**
 * The `pre_trade_checklist` prompt (private to src/mcp): one order looked at
 * from every side before it is placed — the security (quote, lot size, market
 * state), the book's top levels, the account (buying power, the most it can
 * trade, the position in the symbol, open orders in it) and the server's
 * preview of the order (notional, the key's limits, what would refuse it,
 * whether the user must confirm a REAL order), then a checklist derived from
 * those figures for the model to go through with the user. It never tells the
 * model to place the order: that takes the user's explicit go-ahead.
 *
 * @module
 */
import { z } from "zod";
import { currencyOfMarket, parseSymbol, TRD_SIDE } from "../gateway/types.ts";
import { enumArg, env, idArg, symbol } from "../tools/args.ts";
import {
  badArgument,
  isArgumentError,
  num,
  parseArguments,
  pct,
  type Piece,
  type PromptReads,
  promptResult,
  reason,
  records,
  unavailable,
} from "./_prompt_data.ts";

const PROMPT = "pre_trade_checklist";

/** A positive finite number given as text (prompt arguments are strings). */
const positiveText = (what: string) =>
  z.string().transform((text, ctx) => {
    const value = Number(text);
    if (!/^[0-9]*\.?[0-9]+(e[0-9]+)?$/i.test(text) || !Number.isFinite(value) || value <= 0) {
      ctx.addIssue({ code: "custom", message: `${what} must be a number above 0, got "${text}"` });
      return z.NEVER;
    }
    return value;
  });

const ARGUMENTS = {
  symbol,
  side: enumArg(TRD_SIDE),
  qty: positiveText("qty"),
  price: positiveText("price"),
  acc_id: idArg("acc_id"),
  env,
};

/** The prompt's `prompts/list` entry. */
export const PRE_TRADE_CHECKLIST = {
  name: PROMPT,
  title: "Pre-trade checklist",
  description:
    "Before placing an order: live quote, book, lot size, the account's buying power and position, the server's preview of the order (limits, refusals, confirmation), and a checklist to go through with the user.",
  arguments: [
    { name: "symbol", description: '"MARKET.CODE", e.g. "HK.00700", "US.AAPL"', required: true },
    { name: "side", description: "BUY, SELL, SELL_SHORT or BUY_BACK", required: true },
    { name: "qty", description: "shares (contracts for options)", required: true },
    { name: "price", description: "limit price; leave out for a market order", required: false },
    { name: "acc_id", description: "the account; default: the env's account for the symbol", required: false },
    { name: "env", description: '"simulate" (default) or "real"', required: false },
  ],
};

interface Snapshot {
  symbol: string;
  name?: string;
  type: string;
  price: number;
  last_close: number;
  open: number;
  high: number;
  low: number;
  bid?: number;
  ask?: number;
  volume: number;
  lot_size: number;
  high_52w?: number;
  low_52w?: number;
  suspended: boolean;
  time: string;
  option?: { contractSize: number };
}

interface Book {
  asks: number[][];
  bids: number[][];
}

interface Table {
  acc_id: string;
  env: string;
  market: string;
  columns: string[];
  rows: unknown[][];
}

interface MaxQty {
  acc_id: string;
  env: string;
  market: string;
  price: number;
  cash_buy: number;
  margin_buy?: number;
  position_sell: number;
  sell_short?: number;
  buy_back?: number;
}

interface Funds {
  acc_id: string;
  env: string;
  market: string;
  funds: { currency?: string; total_assets: number; cash: number; buying_power: number; market_value: number };
}

/** The fields of futu_preview_order's result this prompt reads (the tool never returns a confirm token). */
interface Preview {
  notional?: number;
  currency?: string;
  notional_in_account_currency?: number;
  account_currency?: string;
  limits: Record<string, number | string | undefined>;
  would_refuse: { code: string; message: string }[];
  warnings: string[];
  confirmation: string;
}

/** One checklist line: a concern to raise with the user, or a check that passed. */
interface Item {
  warn: boolean;
  text: string;
}

/** Order states in which an order may still fill. */
const WORKING = new Set(["UNSUBMITTED", "WAITING_SUBMIT", "SUBMITTING", "SUBMITTED", "FILLED_PART"]);
/** Market states of the continuous regular session. */
const REGULAR_SESSION = new Set(["MORNING", "AFTERNOON"]);
/** How many book levels the prompt shows and sweeps. */
const DEPTH = 5;
/** A limit this far from the last price (in %) is called out. */
const FAR_PCT = 3;

/** `prompts/get pre_trade_checklist`. */
export async function preTradeChecklist(reads: PromptReads, raw: Record<string, string>) {
  const a = parseArguments(PROMPT, raw, ARGUMENTS, ["symbol", "side", "qty"]);
  const order = {
    symbol: a.symbol!,
    side: a.side!,
    qty: a.qty!,
    price: a.price,
    orderType: a.price === undefined ? "MARKET" : "NORMAL",
    accId: a.acc_id,
    env: a.env ?? "SIMULATE",
  };
  const accountArgs = { ...(order.accId ? { acc_id: order.accId } : {}), env: order.env };
  const [snapshot, book, state, max, preview] = await Promise.all([
    reads.read<{ snapshots: Snapshot[] }>("futu_get_snapshot", { symbols: [order.symbol] }),
    reads.read<Book>("futu_get_orderbook", { symbol: order.symbol, depth: DEPTH }),
    reads.read<{ columns: string[]; rows: unknown[][] }>("futu_get_market_state", { symbols: [order.symbol] }),
    reads.read<MaxQty>("futu_get_max_trd_qtys", {
      ...accountArgs,
      symbol: order.symbol,
      order_type: order.orderType,
      ...(order.price !== undefined ? { price: order.price } : {}),
    }),
    reads.read<Preview>("futu_preview_order", {
      ...accountArgs,
      symbol: order.symbol,
      side: order.side,
      qty: order.qty,
      order_type: order.orderType,
      ...(order.price !== undefined ? { price: order.price } : {}),
    }),
  ]);
  if (!snapshot.ok && /unknown stock/i.test(snapshot.error)) throw badArgument(PROMPT, "symbol", snapshot.error);
  // An account that cannot take this order (several REAL ones and no acc_id, the wrong env, a market it
  // does not trade) is the caller's to fix; a key that may not read it still gets the market half.
  if (!max.ok && isArgumentError(max)) throw badArgument(PROMPT, "acc_id", max.error);
  // The account the order goes to, as the server resolves it (acc_id, env, the symbol's market): the
  // account reads below address exactly it, and fail with the same reason when the key may not read it.
  const target = max.ok ? { acc_id: max.data.acc_id, env: max.data.env, market: max.data.market } : undefined;
  const none = max as Piece<never>;
  const [funds, positions, orders] = target
    ? await Promise.all([
      reads.read<Funds>("futu_get_funds", target),
      reads.read<Table>("futu_get_positions", target),
      reads.read<Table>("futu_get_orders", target),
    ])
    : [none, none, none];

  const sec = snapshot.ok ? snapshot.data.snapshots[0] : undefined;
  const currency = currencyOfMarket(parseSymbol(order.symbol).market) ?? "";
  const type = order.orderType === "MARKET" ? "market order" : `limit ${order.price}`;
  const where = target ? `${target.env} account ${target.acc_id} (${target.market})` : `${order.env} account`;
  const lines: string[] = [
    `Pre-trade checklist: ${order.side} ${order.qty} ${order.symbol}${
      sec?.name ? ` (${sec.name})` : ""
    }, ${type}, ${where}. Live data${sec ? ` (quote time ${sec.time})` : ""}; prices in ${
      currency || "the security's currency"
    }.`,
    "",
  ];
  const items: Item[] = [];
  const marketState = state.ok ? String(records(state.data)[0]?.state ?? "") : undefined;

  // ---- the security
  if (sec) {
    lines.push(
      `Security: ${sec.type}, lot size ${sec.lot_size}${marketState ? `, market ${marketState}` : ""}${
        sec.suspended ? ", SUSPENDED" : ""
      }`,
      `Quote: last ${num(sec.price, 4)} (${pct(sec.last_close ? (sec.price / sec.last_close - 1) * 100 : undefined)})` +
        `, bid ${num(sec.bid, 4)}, ask ${num(sec.ask, 4)}, open ${num(sec.open, 4)}, high ${num(sec.high, 4)}` +
        `, low ${num(sec.low, 4)}, prev close ${num(sec.last_close, 4)}` +
        (sec.low_52w !== undefined ? `, 52w ${num(sec.low_52w, 4)}–${num(sec.high_52w, 4)}` : "") +
        `, volume ${sec.volume}`,
    );
    items.push(...securityItems(order, sec, marketState));
  } else if (!snapshot.ok) {
    lines.push(unavailable("Quote and lot size (futu_get_snapshot)", snapshot));
    items.push({ warn: true, text: "No live quote or lot size: check them before going on." });
  }
  if (!state.ok) lines.push(unavailable("Market state", state));

  // ---- the book
  if (book.ok) {
    const side = (rows: number[][]) => rows.map(([p, v]) => `${num(p, 4)}×${v}`).join("  ") || "empty";
    lines.push(`Book (best ${DEPTH}): asks ${side(book.data.asks)} | bids ${side(book.data.bids)}`);
    items.push(...bookItems(order, book.data, sec));
  } else lines.push(unavailable("Order book", book));

  // ---- the account
  lines.push("");
  if (max.ok) {
    const m = max.data;
    lines.push(
      `Most tradable at ${num(m.price, 4)}: buy with cash ${m.cash_buy}` +
        (m.margin_buy !== undefined ? `, with margin ${m.margin_buy}` : "") +
        `, sell from position ${m.position_sell}` +
        (m.sell_short !== undefined ? `, sell short ${m.sell_short}` : "") +
        (m.buy_back !== undefined ? `, buy back ${m.buy_back}` : ""),
    );
    items.push(...capacityItems(order, m));
  }
  if (funds.ok) {
    const f = funds.data.funds;
    lines.push(
      `Funds (${f.currency ?? "account currency"}): cash ${num(f.cash)}, buying power ${num(f.buying_power)}, ` +
        `market value ${num(f.market_value)}, total assets ${num(f.total_assets)}`,
    );
  } else lines.push(unavailable("Account (funds, position, open orders)", funds));
  const position = positions.ok ? records(positions.data).find((p) => p.symbol === order.symbol) : undefined;
  if (positions.ok) {
    lines.push(
      position
        ? `Position in ${order.symbol}: ${position.side} ${position.qty} (can sell ${position.can_sell}), cost ${
          num(position.cost as number, 4)
        }, value ${num(position.value as number)}, P/L ${num(position.pl as number)} (${
          pct(position.pl_pct as number)
        })`
        : `Position in ${order.symbol}: none`,
    );
    items.push(...positionItems(order, position, funds.ok ? funds.data : undefined, sec, currency));
  } else if (funds.ok) lines.push(unavailable("Position", positions));
  if (orders.ok) {
    const open = records(orders.data).filter((o) => o.symbol === order.symbol && WORKING.has(String(o.status)));
    lines.push(
      open.length === 0
        ? `Working orders in ${order.symbol}: none`
        : `Working orders in ${order.symbol}: ${
          open.map((o) => `${o.order_id} ${o.side} ${o.qty}${o.price ? ` @ ${o.price}` : ""} ${o.status}`).join("; ")
        }`,
    );
    if (open.length > 0) {
      items.push({
        warn: true,
        text: `${open.length} order(s) in ${order.symbol} still working (${
          open.map((o) => o.order_id).join(", ")
        }): is this one a duplicate, or should one of them be changed instead?`,
      });
    }
  } else if (funds.ok) lines.push(unavailable("Working orders", orders));

  // ---- the server's preview (futu_preview_order: notional, the key's limits, refusals, confirmation)
  lines.push("");
  if (preview.ok) {
    lines.push(...previewLines(preview.data, { lot: sec !== undefined, price: sec !== undefined, power: max.ok }));
    items.push(...previewItems(preview.data, order.env));
  } else {
    lines.push(unavailable("Server preview (futu_preview_order)", preview));
  }
  if (order.env === "REAL" && !preview.ok) {
    items.push({ warn: true, text: "REAL account: real money. Confirm every detail with the user." });
  }

  lines.push(
    "",
    "Checklist — go through each item with the user (⚠ needs their attention):",
    ...items.map((item, i) => `${i + 1}. ${item.warn ? "⚠" : "✓"} ${item.text}`),
    "",
    "Do not place this order on your own. Only after the user has reviewed these points and explicitly says to go " +
      "ahead, call futu_place_order with exactly these details (symbol, side, qty, " +
      `${order.price === undefined ? 'order_type "MARKET"' : "price"}, acc_id, env); if anything changes, ` +
      "show the new details first.",
  );
  const links = [
    { uri: `futu://quote/${order.symbol}`, name: `${order.symbol} quote`, description: "live quote (subscribable)" },
    { uri: `futu://orderbook/${order.symbol}`, name: `${order.symbol} book`, description: "live order book" },
  ];
  return promptResult(
    `Pre-trade checklist for ${order.side} ${order.qty} ${order.symbol} (${order.env})`,
    lines.join("\n"),
    links,
  );
}

type Order = {
  symbol: string;
  side: string;
  qty: number;
  price?: number;
  orderType: string;
  env: string;
};

const isBuy = (side: string) => side === "BUY" || side === "BUY_BACK";

function securityItems(order: Order, sec: Snapshot, marketState: string | undefined): Item[] {
  const items: Item[] = [];
  const lot = sec.lot_size;
  if (lot > 0 && order.qty % lot !== 0) {
    const below = Math.floor(order.qty / lot) * lot;
    items.push({
      warn: true,
      text: `qty ${order.qty} is not a multiple of lot size ${lot}: OpenD refuses it (nearest: ${
        below > 0 ? `${below} or ` : ""
      }${below + lot}).`,
    });
  } else if (lot > 0) {
    items.push({ warn: false, text: `qty ${order.qty} is ${order.qty / lot} lot(s) of ${lot}.` });
  }
  if (sec.suspended) items.push({ warn: true, text: `${order.symbol} is suspended: the order cannot trade now.` });
  if (marketState && !REGULAR_SESSION.has(marketState)) {
    items.push({
      warn: true,
      text: `The market is ${marketState}, not in its regular session: ${
        order.orderType === "MARKET"
          ? "a market order may be refused or fill at the next open's prices"
          : "the limit order waits for the session (or is refused)"
      }.`,
    });
  }
  if (order.price !== undefined && sec.price > 0) {
    const off = (order.price / sec.price - 1) * 100;
    items.push({
      warn: Math.abs(off) >= FAR_PCT,
      text: `Limit ${order.price} is ${num(Math.abs(off))}% ${off >= 0 ? "above" : "below"} the last price ${
        num(sec.price, 4)
      }${Math.abs(off) >= FAR_PCT ? ": is that intended?" : "."}`,
    });
  }
  if (sec.option) {
    items.push({
      warn: false,
      text: `Option: qty counts contracts of ${sec.option.contractSize} shares each.`,
    });
  }
  return items;
}

/** Whether the order crosses the spread, and how far the visible book fills it. */
function bookItems(order: Order, book: Book, sec: Snapshot | undefined): Item[] {
  const buy = isBuy(order.side);
  const levels = buy ? book.asks : book.bids;
  const best = levels[0]?.[0];
  if (best === undefined) {
    return [{
      warn: true,
      text: `The ${buy ? "ask" : "bid"} side of the book is empty: nothing to trade against now.`,
    }];
  }
  const items: Item[] = [];
  const top = (buy ? book.bids : book.asks)[0]?.[0];
  if (top !== undefined && best > 0) {
    const spread = Math.abs(best - top);
    items.push({
      warn: false,
      text: `Spread ${num(spread, 4)} (${num(spread / best * 100)}% of the ${buy ? "ask" : "bid"}).`,
    });
  }
  const marketable = order.price === undefined || (buy ? order.price >= best : order.price <= best);
  if (!marketable) {
    items.push({
      warn: false,
      text: `The limit does not cross the best ${buy ? "ask" : "bid"} ${
        num(best, 4)
      }: it rests in the book until the price comes to it.`,
    });
    return items;
  }
  // Sweep the visible levels the order may take (up to its limit).
  let filled = 0;
  let cost = 0;
  for (const [price, volume] of levels) {
    if (order.price !== undefined && (buy ? price > order.price : price < order.price)) break;
    const take = Math.min(volume, order.qty - filled);
    filled += take;
    cost += take * price;
    if (filled >= order.qty) break;
  }
  const avg = filled > 0 ? cost / filled : undefined;
  if (filled >= order.qty) {
    const slip = avg !== undefined && sec?.price ? (avg / sec.price - 1) * 100 : undefined;
    items.push({
      warn: false,
      text: `Marketable: the visible book fills all ${order.qty} at about ${num(avg, 4)} on average${
        slip !== undefined ? ` (${pct(slip)} from last)` : ""
      }.`,
    });
  } else {
    items.push({
      warn: true,
      text: `The best ${DEPTH} ${buy ? "asks" : "bids"}${
        order.price !== undefined ? ` within the limit` : ""
      } hold only ${filled} of ${order.qty}: the order may move the price or fill partly.`,
    });
  }
  return items;
}

/** The most the account can trade, from OpenD, against the order's qty. */
function capacityItems(order: Order, max: MaxQty): Item[] {
  const q = order.qty;
  switch (order.side) {
    case "BUY":
      if (max.margin_buy !== undefined && q > max.margin_buy) {
        return [{
          warn: true,
          text: `qty ${q} is more than the account can buy even with margin (${max.margin_buy}).`,
        }];
      }
      if (q > max.cash_buy) {
        return [{
          warn: true,
          text: `qty ${q} is more than cash alone buys (${max.cash_buy}): it would use margin${
            max.margin_buy !== undefined ? ` (up to ${max.margin_buy})` : ""
          }.`,
        }];
      }
      return [{ warn: false, text: `Buying power covers qty ${q} (cash buys up to ${max.cash_buy}).` }];
    case "SELL":
      return q > max.position_sell
        ? [{ warn: true, text: `qty ${q} is more than the position can sell (${max.position_sell}).` }]
        : [{ warn: false, text: `The position can sell ${max.position_sell} ≥ ${q}.` }];
    case "SELL_SHORT":
      return max.sell_short !== undefined && q > max.sell_short
        ? [{ warn: true, text: `qty ${q} is more than can be sold short (${max.sell_short}).` }]
        : [{ warn: true, text: "Short sale: the loss is unlimited if the price rises; check borrow and margin." }];
    default:
      return max.buy_back !== undefined && q > max.buy_back
        ? [{ warn: true, text: `qty ${q} is more than the short position to buy back (${max.buy_back}).` }]
        : [];
  }
}

/** What the trade does to the position and the account's concentration. */
function positionItems(
  order: Order,
  position: Record<string, unknown> | undefined,
  funds: Funds | undefined,
  sec: Snapshot | undefined,
  currency: string,
): Item[] {
  const held = typeof position?.qty === "number" ? position.qty : 0;
  const items: Item[] = [];
  if (order.side === "SELL" && held <= 0) {
    items.push({ warn: true, text: `No long position in ${order.symbol} to sell: did the user mean SELL_SHORT?` });
  }
  if (order.side === "SELL" && held > 0 && order.qty >= held) {
    items.push({ warn: false, text: `Sells the whole position (${held}).` });
  }
  const unit = order.price ?? sec?.price;
  const total = funds?.funds.total_assets;
  if (isBuy(order.side) && unit && total && total > 0 && funds?.funds.currency === currency) {
    const before = typeof position?.value === "number" ? position.value : 0;
    const after = before + unit * order.qty * (sec?.option?.contractSize ?? 1);
    const weight = after / total * 100;
    items.push({
      warn: weight >= 20,
      text: `After the trade ${order.symbol} would be about ${num(weight, 1)}% of total assets ${
        num(total)
      } ${currency}${weight >= 20 ? ": a concentrated position" : ""}.`,
    });
  }
  return items;
}

/**
 * The preview's figures. Its warnings about what the checklist derives itself (lot size, distance from
 * the last price, buying power, from the same live data) are left out: each concern is stated once.
 */
function previewLines(p: Preview, derived: { lot: boolean; price: boolean; power: boolean }): string[] {
  const restated = (w: string) =>
    (derived.lot && /lot size/.test(w)) || (derived.price && /last price/.test(w)) ||
    (derived.power && /buying power/.test(w));
  const notional = p.notional === undefined ? "unknown" : `${num(p.notional)} ${p.currency ?? ""}`.trim();
  const inAccount = p.notional_in_account_currency !== undefined && p.account_currency !== p.currency
    ? ` ≈ ${num(p.notional_in_account_currency)} ${p.account_currency ?? ""}`.trimEnd()
    : "";
  const limits = Object.entries(p.limits).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`);
  return [
    `Server preview: notional ${notional}${inAccount}; key limits: ${limits.length > 0 ? limits.join(", ") : "none"}` +
    `; confirmation: ${p.confirmation}`,
    ...p.would_refuse.map((r) => `Would be REFUSED: ${reason({ code: r.code, error: r.message })}`),
    ...p.warnings.filter((w) => !restated(w)).map((w) => `Preview warning: ${w}`),
  ];
}

function previewItems(p: Preview, env: string): Item[] {
  const items: Item[] = p.would_refuse.map((r) => ({
    warn: true,
    text: `The server would refuse it now: ${reason({ code: r.code, error: r.message })}`,
  }));
  if (p.would_refuse.length === 0) {
    items.push({ warn: false, text: "The key's scopes and limits let this order through." });
  }
  if (env === "REAL") {
    const how = p.confirmation === "elicit"
      ? "the server will ask the user to confirm it before anything is sent"
      : p.confirmation === "token"
      ? "the server answers with a confirmation request; repeat the call with its confirm_token only after the user confirms"
      : "this key's REAL orders are sent without a confirmation step, so the user's go-ahead here is the only check";
    items.push({ warn: true, text: `REAL account, real money: ${how}.` });
  }
  return items;
}
