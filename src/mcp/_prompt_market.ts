/**
 * The `market_brief` prompt (private to src/mcp): a short, live picture of
 * one market — its state, its main indices, the biggest movers, breadth (how
 * many stocks rise and fall, the strongest and weakest industries) and the
 * week's notable earnings — with the instruction to write a brief of a few
 * lines from it. A piece OpenD has no answer for is stated, not guessed.
 *
 * @module
 */
import { marketArg } from "../tools/args.ts";
import { num, parseArguments, pct, type PromptReads, promptResult, records, unavailable } from "./_prompt_data.ts";

const PROMPT = "market_brief";

/** The markets a brief covers: CN is both A-share exchanges. */
const MARKETS = ["HK", "US", "SH", "SZ", "CN"] as const;
type Market = (typeof MARKETS)[number];

const ARGUMENTS = { market: marketArg(MARKETS) };

/** The prompt's `prompts/list` entry. */
export const MARKET_BRIEF = {
  name: PROMPT,
  title: "Market brief",
  description:
    "A short live brief of a market (HK, US, SH, SZ or CN for both A-share exchanges): state, main indices, top movers, breadth, strongest and weakest industries, the week's earnings.",
  arguments: [{ name: "market", description: "HK, US, SH, SZ or CN (SH and SZ)", required: true }],
};

/** Each market's main indices, by OpenD symbol. */
const INDICES: Record<Market, readonly string[]> = {
  HK: ["HK.800000", "HK.800700", "HK.800100"],
  US: ["US..DJI", "US..SPX", "US..IXIC"],
  SH: ["SH.000001", "SH.000300", "SH.000016"],
  SZ: ["SZ.399001", "SZ.399006"],
  CN: ["SH.000001", "SZ.399001", "SH.000300", "SZ.399006"],
};
/** The exchanges whose breadth, industries and earnings a brief reads. */
const EXCHANGES: Record<Market, readonly ("HK" | "US" | "SH" | "SZ")[]> = {
  HK: ["HK"],
  US: ["US"],
  SH: ["SH"],
  SZ: ["SZ"],
  CN: ["SH", "SZ"],
};
/** The time zone of a market's trading day (the earnings window starts on its today). */
const ZONE: Record<Market, string> = {
  HK: "Asia/Hong_Kong",
  US: "America/New_York",
  SH: "Asia/Shanghai",
  SZ: "Asia/Shanghai",
  CN: "Asia/Shanghai",
};
const MOVERS = 5;
const INDUSTRIES = 3;
const EARNINGS = 8;
const EARNINGS_DAYS = 7;

interface Quote {
  symbol: string;
  name?: string;
  price: number;
  change_pct: number;
  high: number;
  low: number;
  time: string;
}

/** `prompts/get market_brief`. */
export async function marketBrief(reads: PromptReads, raw: Record<string, string>) {
  const market = parseArguments(PROMPT, raw, ARGUMENTS, ["market"]).market!;
  const exchanges = EXCHANGES[market];
  const state = await reads.read<{ markets: Record<string, string>; server_time: string }>(
    "futu_get_global_state",
    {},
  );
  const now = state.ok ? new Date(state.data.server_time) : new Date();
  const today = localDate(now, ZONE[market]);
  const end = localDate(new Date(now.getTime() + EARNINGS_DAYS * 86_400_000), ZONE[market]);
  const hasMovers = market === "HK" || market === "US";
  const [quotes, gainers, losers, perExchange] = await Promise.all([
    // One index at a time: OpenD refuses a whole list for one symbol it does not know.
    Promise.all(INDICES[market].map((symbol) => reads.read<{ quotes: Quote[] }>("futu_get_quote", { symbol }))),
    hasMovers ? reads.read<{ data_list?: unknown }>("futu_get_top_movers", { market, max_count: MOVERS }) : undefined,
    hasMovers
      ? reads.read<{ data_list?: unknown }>("futu_get_top_movers", { market, direction: "losers", max_count: MOVERS })
      : undefined,
    Promise.all(exchanges.map(async (exchange) => {
      const [breadth, strong, weak, earnings] = await Promise.all([
        reads.read<{ stock_count?: number; range_list?: unknown }>("futu_get_market_breadth", {
          view: "rise_fall",
          market: exchange,
        }),
        reads.read<{ plate_data_list?: unknown }>("futu_get_market_breadth", {
          market: exchange,
          max_count: INDUSTRIES,
        }),
        reads.read<{ plate_data_list?: unknown }>("futu_get_market_breadth", {
          market: exchange,
          max_count: INDUSTRIES,
          ascending: true,
        }),
        reads.read<{ total: number; item_list?: unknown }>("futu_get_earnings_calendar", {
          market: exchange,
          begin: today,
          end,
          sort: "HOT",
          max_count: EARNINGS,
        }),
      ]);
      return { exchange, breadth, strong, weak, earnings };
    })),
  ]);

  const lines: string[] = [`Market brief: ${market}${market === "CN" ? " (SH and SZ)" : ""}, ${today}. Live data.`, ""];
  if (state.ok) {
    const states = (market === "CN" ? ["SH", "SZ"] : [market]).map((m) => `${m} ${state.data.markets[m] ?? "unknown"}`);
    lines.push(`State: ${states.join(", ")} (OpenD time ${state.data.server_time})`);
  } else lines.push(unavailable("Market state", state));

  const known = quotes.flatMap((q) => q.ok ? q.data.quotes : []);
  const missing = INDICES[market].filter((_, i) => !quotes[i].ok);
  lines.push(
    `Indices: ${
      known.map((q) =>
        `${q.name ?? q.symbol} (${q.symbol}) ${num(q.price)} ${pct(q.change_pct)}, range ${num(q.low)}–${num(q.high)}`
      ).join("; ") || "none available"
    }`,
  );
  if (missing.length > 0) {
    const why = quotes.find((q) => !q.ok);
    lines.push(`Not available: ${missing.join(", ")}${why && !why.ok ? ` (${why.error})` : ""}`);
  }

  if (gainers && losers) {
    for (const [label, piece, sign] of [["Top gainers", gainers, 1], ["Top losers", losers, -1]] as const) {
      lines.push(piece.ok ? `${label}: ${movers(piece.data.data_list, sign)}` : unavailable(label, piece));
    }
  } else lines.push("Top movers: OpenD ranks movers for HK and US only.");

  for (const x of perExchange) {
    const tag = exchanges.length > 1 ? `${x.exchange} ` : "";
    lines.push(x.breadth.ok ? `${tag}Breadth: ${breadth(x.breadth.data)}` : unavailable(`${tag}Breadth`, x.breadth));
    if (!x.strong.ok) lines.push(unavailable(`${tag}Industries`, x.strong));
    else if (!x.weak.ok) lines.push(unavailable(`${tag}Industries`, x.weak));
    else lines.push(`${tag}Industries: ${industries(x.strong.data.plate_data_list, x.weak.data.plate_data_list)}`);
    if (x.earnings.ok) {
      const rows = records(x.earnings.data.item_list);
      lines.push(
        `${tag}Earnings ${today}..${end} (${x.earnings.data.total}${
          rows.length < x.earnings.data.total ? `, ${rows.length} most watched` : ""
        }): ${
          rows.map((r) =>
            `${r.security} ${r.earnings_date ?? ""}${r.period_text ? ` ${r.period_text}` : ""}${timing(r.pub_type)}`
          )
            .join("; ") || "none"
        }`,
      );
    } else lines.push(unavailable(`${tag}Earnings`, x.earnings));
  }

  lines.push(
    "",
    "Write a brief of at most 6 short lines from these figures only: the direction and breadth of the market, " +
      "what leads and lags, and the events ahead. Say which pieces were unavailable rather than guessing them. " +
      "No trade recommendations unless the user asks.",
  );
  return promptResult(`Market brief: ${market}`, lines.join("\n"));
}

/** A day "YYYY-MM-DD" as the clock reads in `zone`. */
function localDate(at: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })
    .format(at);
}

/** Movers in the direction asked for: in a falling market the "top gainers" that fell are no gainers. */
function movers(list: unknown, sign: 1 | -1): string {
  const rows = records(list).filter((r) => typeof r.change_ratio === "number" && r.change_ratio * sign > 0);
  return rows.map((r) => `${r.security} ${r.name ?? ""} ${num(r.cur_price as number)} ${pct(r.change_ratio as number)}`)
    .join("; ") || `none ${sign > 0 ? "up" : "down"}`;
}

/** Rise/fall buckets summed into up, flat and down (type 1 limit up … 5 limit down, 3 a range in %). */
function breadth(data: { stock_count?: number; range_list?: unknown }): string {
  let up = 0, flat = 0, down = 0, limitUp = 0, limitDown = 0;
  for (const r of records(data.range_list)) {
    const count = typeof r.stock_count === "number" ? r.stock_count : 0;
    const left = r.left_border as number | null;
    const right = r.right_border as number | null;
    if (r.type === 1) (limitUp += count, up += count);
    else if (r.type === 5) (limitDown += count, down += count);
    else if (r.type === 2) up += count;
    else if (r.type === 4) down += count;
    else if (left === 0 && right === 0) flat += count;
    else if ((left ?? 0) >= 0) up += count;
    else down += count;
  }
  const limits = limitUp + limitDown > 0 ? `; limit up ${limitUp}, limit down ${limitDown}` : "";
  return `${up} up, ${flat} flat, ${down} down of ${data.stock_count ?? up + flat + down} stocks${limits}`;
}

/** The strongest and weakest industries; with few industries the weakest are among the strongest: each shows once. */
function industries(strongest: unknown, weakest: unknown): string {
  const strong = records(strongest);
  const shown = new Set(strong.map((r) => r.plate));
  const weak = records(weakest).filter((r) => !shown.has(r.plate));
  const text = (rows: Record<string, unknown>[]) =>
    rows.map((r) =>
      `${r.plate_name ?? r.plate} ${pct(r.change_rate as number)} (${r.rise_count ?? "?"} up/${
        r.fall_count ?? "?"
      } down${r.leader_stock ? `, leader ${r.leader_stock}` : ""})`
    ).join("; ");
  if (strong.length === 0) return "none";
  return `strongest ${text(strong)}${weak.length > 0 ? `; weakest ${text(weak)}` : ""}`;
}

function timing(pubType: unknown): string {
  return pubType === 1 ? " before the open" : pubType === 2 ? " after the close" : "";
}
