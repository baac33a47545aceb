/**
 * Market data commands: `ping`, `quote`, `snapshot`, `kline`, `orderbook`,
 * `ticker`, `rt`, `static`, `broker`, `plates`, `plate-stocks`. Each runs the
 * futu-mcp tool of the same purpose, so arguments, results and errors match.
 *
 * @module
 */
import { Command } from "commander";
import { KL_TYPE, REHAB_TYPE } from "../../src/gateway/types.ts";
import { emit, globalsOf, numberArg } from "../common.ts";
import { withGateway } from "../runtime.ts";
import { table } from "../output.ts";

const COUNT = { integer: true, min: "above 0" } as const;

/** Rows a single futu_get_kline call returns at most with a date range. */
const KLINE_PAGE_ROWS = 10_000;

/** A command that runs one tool with arguments built from its positionals and options. */
export function toolCommand<O>(
  name: string,
  description: string,
  tool: string,
  build: (command: Command) => Command,
  args: (positionals: string[], options: O) => Record<string, unknown>,
  human?: (result: Record<string, unknown>) => string,
): Command {
  return build(new Command(name).description(description)).action(async (...params: unknown[]) => {
    const cmd = params[params.length - 1] as Command;
    const options = params[params.length - 2] as O;
    const positionals = params.slice(0, -2).flat() as string[];
    const result = await withGateway(globalsOf(cmd), {}, (session) => session.call(tool, args(positionals, options)));
    emit(cmd, result, human && (() => human(result)));
  });
}

const symbolsArg = (positionals: string[]) => ({ symbols: positionals });
const symbolArg = (positionals: string[]) => ({ symbol: positionals[0] });

function klineCommand(): Command {
  return new Command("kline")
    .description("candles: the latest --count, or history from --begin (any length, fetched page by page)")
    .argument("<symbol>", 'e.g. "HK.00700"')
    .option("--type <kl_type>", KL_TYPE.names.join(", "), "K_DAY")
    .option("--count <n>", "rows (without --begin at most 1000)", numberArg("--count", COUNT), 100)
    .option("--begin <date>", '"YYYY-MM-DD" (or with " HH:MM:SS"), market-local time')
    .option("--end <date>", "end of the range (default: today)")
    .option("--rehab <type>", REHAB_TYPE.names.join(", "), "FORWARD")
    .action(
      async (
        symbol: string,
        options: { type: string; count: number; begin?: string; end?: string; rehab: string },
        cmd: Command,
      ) => {
        const base = { symbol, kl_type: options.type, rehab: options.rehab };
        const result = await withGateway(globalsOf(cmd), {}, async (session) => {
          if (options.begin === undefined) {
            return await session.call("futu_get_kline", { ...base, max_count: options.count });
          }
          const range = { ...base, begin: options.begin, ...(options.end ? { end: options.end } : {}) };
          let merged: Record<string, unknown> | undefined;
          const rows: unknown[] = [];
          let page: string | undefined;
          do {
            const offset = rows.length;
            const part = await session.call(
              "futu_get_kline",
              { ...range, max_count: Math.min(KLINE_PAGE_ROWS, options.count - offset), ...(page ? { page } : {}) },
              session.progress && ((done) => session.progress!(offset + done, options.count, "fetching candles")),
            );
            rows.push(...(part.rows as unknown[]));
            page = part.next_page as string | undefined;
            merged = { ...part, rows };
          } while (page && rows.length < options.count);
          const { next_page: _done, ...complete } = merged!;
          return page ? { ...complete, next_page: page } : complete;
        });
        emit(cmd, result);
      },
    );
}

/** Order book and broker queue: the ask and bid sides as two tables. */
function sidesText(result: Record<string, unknown>): string {
  const columns = result.columns as string[];
  return `${result.symbol} asks (best first)\n${table(columns, result.asks as unknown[][])}\nbids (best first)\n${
    table(columns, result.bids as unknown[][])
  }`;
}

/** The market data commands. */
export function marketCommands(): Command[] {
  return [
    toolCommand("ping", "OpenD round trip, link state and market states", "futu_ping", (c) => c, () => ({})),
    toolCommand(
      "quote",
      "real-time quotes",
      "futu_get_quote",
      (c) => c.argument("<symbols...>", 'e.g. "HK.00700 US.AAPL"'),
      symbolsArg,
    ),
    toolCommand(
      "snapshot",
      "snapshots: bid/ask, 52-week range, valuation, warrant/option terms",
      "futu_get_snapshot",
      (c) => c.argument("<symbols...>"),
      symbolsArg,
    ),
    klineCommand(),
    toolCommand<{ depth: number }>(
      "orderbook",
      "order book",
      "futu_get_orderbook",
      (c) => c.argument("<symbol>").option("--depth <n>", "levels per side (1-10)", numberArg("--depth", COUNT), 10),
      (p, o) => ({ ...symbolArg(p), depth: o.depth }),
      sidesText,
    ),
    toolCommand<{ count: number }>(
      "ticker",
      "trade prints",
      "futu_get_ticker",
      (c) => c.argument("<symbol>").option("--count <n>", "prints (≤1000)", numberArg("--count", COUNT), 50),
      (p, o) => ({ ...symbolArg(p), max_count: o.count }),
    ),
    toolCommand("rt", "today's minute series", "futu_get_rt", (c) => c.argument("<symbol>"), symbolArg),
    toolCommand(
      "static",
      "name, type, lot size, listing date",
      "futu_get_static",
      (c) => c.argument("<symbols...>"),
      symbolsArg,
    ),
    toolCommand("broker", "HK broker queue", "futu_get_broker", (c) => c.argument("<symbol>"), symbolArg, sidesText),
    toolCommand<{ type: string }>(
      "plates",
      "plates (sectors) of a market: HK, US, SH, SZ",
      "futu_list_plates",
      (c) => c.argument("<market>").option("--type <type>", "ALL, INDUSTRY, REGION, CONCEPT", "ALL"),
      (p, o) => ({ market: p[0], plate_type: o.type }),
    ),
    toolCommand(
      "plate-stocks",
      'constituents of a plate, e.g. "HK.BK1910"',
      "futu_plate_stocks",
      (c) => c.argument("<plate>"),
      (p) => ({ plate: p[0] }),
    ),
  ];
}
