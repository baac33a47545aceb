/**
 * The `portfolio_review` prompt (private to src/mcp): one account's funds,
 * its positions in every market it trades (value, P/L, weight of total
 * assets), today's orders, its concentration and currency exposure, and a
 * review checklist derived from those figures. Foreign-currency values are
 * converted at the rate OpenD values the account at (its total assets in
 * both currencies). The whole prompt is about the account: a key that may not
 * read it gets an error, not a prompt.
 *
 * @module
 */
import { env, idArg } from "../tools/args.ts";
import {
  badArgument,
  fatal,
  num,
  parseArguments,
  pct,
  type PromptReads,
  promptResult,
  records,
  unavailable,
} from "./_prompt_data.ts";

const PROMPT = "portfolio_review";

const ARGUMENTS = { acc_id: idArg("acc_id"), env };

/** The prompt's `prompts/list` entry. */
export const PORTFOLIO_REVIEW = {
  name: PROMPT,
  title: "Portfolio review",
  description:
    "Review an account: funds, positions with value, P/L and weight, today's orders, concentration and currency exposure, and a checklist for the review.",
  arguments: [
    { name: "acc_id", description: "the account; default: the env's first account this key may read", required: false },
    { name: "env", description: '"simulate" (default) or "real"', required: false },
  ],
};

interface Account {
  acc_id: string;
  env: string;
  markets: string[];
  type?: string;
}

interface Funds {
  acc_id: string;
  env: string;
  market: string;
  funds: {
    currency?: string;
    total_assets: number;
    cash: number;
    market_value: number;
    buying_power: number;
    withdrawable: number;
    frozen_cash: number;
    debt: number;
    unrealized_pl?: number;
    realized_pl?: number;
    cash_by_currency?: Record<string, number>;
  };
}

interface Table {
  columns: string[];
  rows: unknown[][];
}

/** Order states in which an order may still fill. */
const WORKING = new Set(["UNSUBMITTED", "WAITING_SUBMIT", "SUBMITTING", "SUBMITTED", "FILLED_PART"]);
const FAILED = new Set(["SUBMIT_FAILED", "FAILED", "TIMEOUT"]);
/** Rows of each table the prompt shows (the tools and resources list the rest). */
const MAX_ROWS = 30;
/** A position this large a share of total assets (%) is called out, and so is a currency. */
const CONCENTRATED_PCT = 20;
const FOREIGN_PCT = 25;
/** A loss (%) this deep on a position is called out, and so is a gain this large. */
const DEEP_LOSS_PCT = -10;
const BIG_GAIN_PCT = 25;

/** `prompts/get portfolio_review`. */
export async function portfolioReview(reads: PromptReads, raw: Record<string, string>) {
  const a = parseArguments(PROMPT, raw, ARGUMENTS, []);
  const listed = await reads.read<{ accounts: Account[] }>("futu_list_accounts", {});
  if (!listed.ok) throw fatal(PROMPT, "acc_id", listed);
  let account: Account | undefined;
  // Reading needs no explicit "real" (trading does): a named account is reviewed in its own env.
  let wantedEnv = a.env ?? "SIMULATE";
  if (a.acc_id) {
    account = listed.data.accounts.find((x) => x.acc_id === a.acc_id);
    if (account && a.env === undefined) wantedEnv = account.env as typeof wantedEnv;
  } else {
    // The key's own accounts of that env: futu_list_accounts shows only those it may read.
    const mine = listed.data.accounts.filter((x) => x.env === wantedEnv);
    if (mine.length === 0) throw badArgument(PROMPT, "env", `no ${wantedEnv} account this key may read`);
    if (wantedEnv === "REAL" && mine.length > 1) {
      throw badArgument(PROMPT, "acc_id", `several REAL accounts (${mine.map((x) => x.acc_id).join(", ")}): pass one`);
    }
    account = mine[0];
  }
  // An acc_id the listing does not show: futu_get_funds says why (unknown, or not this key's).
  const funds = await reads.read<Funds>("futu_get_funds", { acc_id: account?.acc_id ?? a.acc_id, env: wantedEnv });
  if (!funds.ok) throw fatal(PROMPT, "acc_id", funds);
  const f = funds.data.funds;
  const accId = funds.data.acc_id;
  const base = f.currency ?? "";
  const markets = account?.markets.length ? account.markets : [funds.data.market];
  const perMarket = await Promise.all(markets.map(async (market) => {
    const target = { acc_id: accId, env: funds.data.env, market };
    const [positions, orders] = await Promise.all([
      reads.read<Table>("futu_get_positions", target),
      reads.read<Table>("futu_get_orders", target),
    ]);
    return { market, positions, orders };
  }));
  const positions = perMarket.flatMap((m) => m.positions.ok ? records(m.positions.data) : []);
  const orders = perMarket.flatMap((m) => m.orders.ok ? records(m.orders.data) : []);
  const rates = await ratesToBase(
    reads,
    { acc_id: accId, env: funds.data.env },
    f,
    [...positions.map((p) => String(p.currency ?? "")), ...Object.keys(f.cash_by_currency ?? {})],
  );

  const lines: string[] = [
    `Portfolio review: ${funds.data.env} account ${accId}${account?.type ? ` (${account.type})` : ""}, markets ${
      markets.join(", ")
    }, base currency ${base || "unknown"}. Live data.`,
    "",
    `Funds (${base}): total assets ${num(f.total_assets)}, cash ${num(f.cash)}, market value ${
      num(f.market_value)
    }, buying power ${num(f.buying_power)}, withdrawable ${num(f.withdrawable)}, frozen ${num(f.frozen_cash)}, debt ${
      num(f.debt)
    }` +
    (f.unrealized_pl !== undefined ? `, unrealized P/L ${num(f.unrealized_pl)}` : "") +
    (f.realized_pl !== undefined ? `, realized P/L ${num(f.realized_pl)}` : ""),
  ];
  if (f.cash_by_currency) {
    lines.push(
      `Cash by currency: ${Object.entries(f.cash_by_currency).map(([c, v]) => `${c} ${num(v)}`).join(", ")}`,
    );
  }
  for (const m of perMarket) {
    if (!m.positions.ok) lines.push(unavailable(`Positions in ${m.market}`, m.positions));
    if (!m.orders.ok) lines.push(unavailable(`Orders in ${m.market}`, m.orders));
  }

  // ---- positions, by weight of total assets
  const valued = positions.map((p) => {
    const rate = rates.get(String(p.currency ?? base));
    const value = typeof p.value === "number" ? p.value : 0;
    const inBase = rate === undefined ? undefined : value * rate;
    return {
      p,
      inBase,
      weight: inBase !== undefined && f.total_assets > 0 ? inBase / f.total_assets * 100 : undefined,
    };
  }).sort((x, y) => Math.abs(y.inBase ?? 0) - Math.abs(x.inBase ?? 0));
  lines.push("", `Positions (${valued.length}):`);
  if (valued.length > 0) {
    lines.push("symbol\tname\tside\tqty\tcan_sell\tcost\tprice\tvalue\tccy\tP/L\tP/L%\tweight%");
    for (const { p, weight } of valued.slice(0, MAX_ROWS)) {
      lines.push(
        [
          p.symbol,
          p.name,
          p.side,
          p.qty,
          p.can_sell,
          num(p.cost as number, 4),
          num(p.price as number, 4),
          num(p.value as number),
          p.currency ?? "",
          num(p.pl as number),
          num(p.pl_pct as number),
          num(weight, 1),
        ].join("\t"),
      );
    }
    if (valued.length > MAX_ROWS) lines.push(`(${valued.length - MAX_ROWS} more: futu_get_positions lists them)`);
  } else lines.push("none");

  // ---- currency exposure: positions and cash, in the base currency
  const exposure = new Map<string, number>();
  for (const { p, inBase } of valued) {
    if (inBase !== undefined) {
      exposure.set(String(p.currency ?? base), (exposure.get(String(p.currency ?? base)) ?? 0) + inBase);
    }
  }
  for (const [c, cash] of Object.entries(f.cash_by_currency ?? {})) {
    const rate = rates.get(c);
    if (rate !== undefined) exposure.set(c, (exposure.get(c) ?? 0) + cash * rate);
  }
  const unconverted = [...new Set(valued.filter((v) => v.inBase === undefined).map((v) => String(v.p.currency)))];
  if (exposure.size > 0 && f.total_assets > 0) {
    lines.push(
      "",
      `Currency exposure (positions + cash, in ${base}): ${
        [...exposure].sort((x, y) => y[1] - x[1]).map(([c, v]) =>
          `${c} ${num(v)} (${num(v / f.total_assets * 100, 1)}%)`
        )
          .join(", ")
      }${unconverted.length > 0 ? `; no rate for ${unconverted.join(", ")}` : ""}`,
    );
    const foreign = [...rates].filter(([c, r]) => c !== base && r !== 1).map(([c, r]) => `${c}→${base} ${num(r, 4)}`);
    if (foreign.length > 0) lines.push(`Rates used (OpenD's valuation of the account): ${foreign.join(", ")}`);
  }

  // ---- today's orders
  const working = orders.filter((o) => WORKING.has(String(o.status)));
  const failed = orders.filter((o) => FAILED.has(String(o.status)));
  lines.push("", `Today's orders (${orders.length}; ${working.length} working):`);
  if (orders.length > 0) {
    lines.push("order_id\tsymbol\tside\ttype\tstatus\tqty\tprice\tfilled\tavg_fill");
    for (const o of orders.slice(0, MAX_ROWS)) {
      lines.push(
        [o.order_id, o.symbol, o.side, o.type, o.status, o.qty, o.price ?? "", o.filled_qty, o.avg_fill_price ?? ""]
          .join("\t"),
      );
    }
    if (orders.length > MAX_ROWS) lines.push(`(${orders.length - MAX_ROWS} more: futu_get_orders lists them)`);
  } else lines.push("none");

  const items = reviewItems({ f, base, valued, exposure, working, failed });
  lines.push(
    "",
    "Review checklist — go through each item with the user (⚠ needs their attention):",
    ...items.map((item, i) => `${i + 1}. ${item.warn ? "⚠" : "✓"} ${item.text}`),
    "",
    "This is a review: suggest changes if they help, but place, change or cancel nothing unless the user explicitly " +
      "asks for it (run pre_trade_checklist for an order first).",
  );
  const links = ["positions", "orders", "funds"].map((part) => ({
    uri: `futu://account/${accId}/${part}`,
    name: `${accId} ${part}`,
    description: `live ${part} of ${funds.data.env} account ${accId}`,
  }));
  return promptResult(`Portfolio review of ${funds.data.env} account ${accId}`, lines.join("\n"), links);
}

/**
 * Each currency's rate to the account's base: 1 for the base, else the ratio of the account's total
 * assets valued in both (how OpenD converts the account); absent when it cannot be read.
 */
async function ratesToBase(
  reads: PromptReads,
  account: { acc_id: string; env: string },
  f: Funds["funds"],
  currencies: string[],
): Promise<Map<string, number>> {
  const rates = new Map<string, number>();
  if (!f.currency) return rates;
  rates.set(f.currency, 1);
  const foreign = [...new Set(currencies)].filter((c) => c && c !== f.currency);
  await Promise.all(foreign.map(async (currency) => {
    const other = await reads.read<Funds>("futu_get_funds", { ...account, currency });
    if (other.ok && other.data.funds.total_assets > 0 && f.total_assets > 0) {
      rates.set(currency, f.total_assets / other.data.funds.total_assets);
    }
  }));
  return rates;
}

function reviewItems(d: {
  f: Funds["funds"];
  base: string;
  valued: { p: Record<string, unknown>; inBase?: number; weight?: number }[];
  exposure: Map<string, number>;
  working: Record<string, unknown>[];
  failed: Record<string, unknown>[];
}): { warn: boolean; text: string }[] {
  const items: { warn: boolean; text: string }[] = [];
  const { f, valued } = d;
  if (valued.length === 0) items.push({ warn: false, text: "No positions: the account holds cash only." });
  const top = valued[0];
  if (top?.weight !== undefined) {
    const top3 = valued.slice(0, 3).reduce((sum, v) => sum + (v.weight ?? 0), 0);
    items.push({
      warn: top.weight >= CONCENTRATED_PCT,
      text: `Largest position ${top.p.symbol} is ${num(top.weight, 1)}% of total assets${
        valued.length > 1 ? `; the top ${Math.min(3, valued.length)} are ${num(top3, 1)}%` : ""
      }${top.weight >= CONCENTRATED_PCT ? ": concentrated — is that intended?" : "."}`,
    });
  }
  const losers = valued.filter((v) => typeof v.p.pl_pct === "number" && v.p.pl_pct <= DEEP_LOSS_PCT);
  if (losers.length > 0) {
    items.push({
      warn: true,
      text: `Down ${-DEEP_LOSS_PCT}% or more: ${
        losers.map((v) => `${v.p.symbol} ${pct(v.p.pl_pct as number)}`).join(", ")
      }: does the reason to hold still stand?`,
    });
  }
  const winners = valued.filter((v) => typeof v.p.pl_pct === "number" && v.p.pl_pct >= BIG_GAIN_PCT);
  if (winners.length > 0) {
    items.push({
      warn: false,
      text: `Up ${BIG_GAIN_PCT}% or more: ${
        winners.map((v) => `${v.p.symbol} ${pct(v.p.pl_pct as number)}`).join(", ")
      }: hold, trim or protect?`,
    });
  }
  const shorts = valued.filter((v) => v.p.side === "SHORT");
  if (shorts.length > 0) {
    items.push({
      warn: true,
      text: `Short positions: ${shorts.map((v) => v.p.symbol).join(", ")}: losses are unlimited if they rise.`,
    });
  }
  if (f.debt > 0 || f.market_value > f.total_assets) {
    items.push({
      warn: true,
      text: `Uses margin: debt ${num(f.debt)} ${d.base}, market value ${num(f.market_value)} against total assets ${
        num(f.total_assets)
      }.`,
    });
  } else if (f.total_assets > 0) {
    items.push({
      warn: false,
      text: `No margin debt; cash is ${num(f.cash / f.total_assets * 100, 1)}% of total assets, buying power ${
        num(f.buying_power)
      } ${d.base}.`,
    });
  }
  for (const [currency, value] of d.exposure) {
    const share = f.total_assets > 0 ? value / f.total_assets * 100 : 0;
    if (currency !== d.base && share >= FOREIGN_PCT) {
      items.push({
        warn: true,
        text: `${num(share, 1)}% of the account is in ${currency}: exchange-rate risk against ${d.base}.`,
      });
    }
  }
  const locked = valued.filter((v) =>
    typeof v.p.can_sell === "number" && typeof v.p.qty === "number" &&
    v.p.side === "LONG" && v.p.can_sell < v.p.qty
  );
  if (locked.length > 0) {
    items.push({
      warn: false,
      text: `Not all sellable now: ${
        locked.map((v) => `${v.p.symbol} ${v.p.can_sell} of ${v.p.qty}`).join(", ")
      } (held by working sell orders or settlement).`,
    });
  }
  if (d.working.length > 0) {
    items.push({
      warn: true,
      text: `${d.working.length} order(s) still working: ${
        d.working.slice(0, 5).map((o) => `${o.order_id} ${o.side} ${o.qty} ${o.symbol}`).join("; ")
      }${d.working.length > 5 ? "; …" : ""}: still wanted at these prices?`,
    });
  }
  if (d.failed.length > 0) {
    items.push({
      warn: true,
      text: `${d.failed.length} order(s) failed today: ${
        d.failed.slice(0, 5).map((o) => `${o.order_id} ${o.symbol}${o.last_error ? ` (${o.last_error})` : ""}`).join(
          "; ",
        )
      }.`,
    });
  }
  return items;
}
