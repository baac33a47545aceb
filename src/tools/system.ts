/**
 * OpenD itself: market state, global state, subscriptions and quotas, the user and delays: the tools.
 *
 * @module
 */
import { z } from "zod";
import { DELAY_TYPE, PUSH_STAGE } from "../gateway/system_types.ts";
import { enumArg, symbols } from "./args.ts";
import { compact, fields, rows, table } from "./render.ts";
import { defineTool, READ_OPEND, type Tool } from "./tool.ts";

const str = z.string();
const num = z.number();
const tableOf = z.object({ columns: z.array(str), rows });

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

const marketState = defineTool({
  name: "futu_get_market_state",
  title: "Market state of securities",
  description:
    'Trading state of each security\'s market now (e.g. MORNING, REST, AFTERNOON, CLOSED, PRE_MARKET_BEGIN), as rows [symbol, name, state]. symbols: 1–100, e.g. ["HK.00700","US.AAPL"].',
  toolset: "system",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ symbols: symbols(100) }),
  output: tableOf,
  async run(ctx, args) {
    const list = await ctx.system.marketStates(args.symbols);
    return { columns: ["symbol", "name", "state"], rows: list.map((m) => [m.symbol, m.name, m.state]) };
  },
  text: (r) => table(r.columns, r.rows),
});

const globalState = defineTool({
  name: "futu_get_global_state",
  title: "OpenD global state",
  description:
    "OpenD's global state: each market's state (HK, US, SH, SZ, HK_FUTURE…), whether quotes and trading are logged in, program status, server version and build, OpenD's clock.",
  toolset: "system",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({}),
  output: z.object({
    markets: z.record(str, str),
    qot_logined: z.boolean(),
    trd_logined: z.boolean(),
    program_status: str.optional(),
    server_ver: num,
    server_build: num,
    server_time: str,
    local_time: str.optional(),
    qot_server: str.optional(),
    trd_server: str.optional(),
    conn_id: str.optional(),
  }),
  async run(ctx) {
    const g = await ctx.system.globalState();
    const markets = compact({
      HK: g.marketHK,
      US: g.marketUS,
      SH: g.marketSH,
      SZ: g.marketSZ,
      HK_FUTURE: g.marketHKFuture,
      US_FUTURE: g.marketUSFuture,
      SG_FUTURE: g.marketSGFuture,
      JP_FUTURE: g.marketJPFuture,
      SG: g.marketSG,
      MY: g.marketMY,
      JP: g.marketJP,
    }) as Record<string, string>;
    return compact({
      markets,
      qot_logined: g.qotLogined,
      trd_logined: g.trdLogined,
      program_status: g.programStatus,
      server_ver: g.serverVer,
      server_build: g.serverBuildNo,
      server_time: iso(g.time),
      local_time: g.localTime === undefined ? undefined : iso(g.localTime),
      qot_server: g.qotServer,
      trd_server: g.trdServer,
      conn_id: g.connId,
    });
  },
  text: (r) => fields({ ...r, markets: Object.entries(r.markets).map(([m, s]) => `${m} ${s}`) }),
});

const subscriptions = defineTool({
  name: "futu_query_subscription",
  title: "Subscriptions and quota",
  description:
    "Quote subscriptions and OpenD's subscription quota (shared by all its connections; one unit per symbol × sub_type). futu-mcp subscribes by itself when quote tools need it, so its own connection lists those. all_connections: also other API clients of this OpenD.",
  toolset: "system",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ all_connections: z.boolean().optional().default(false) }),
  output: z.object({
    used: num,
    remaining: num,
    quota: num,
    connections: z.array(z.object({
      own: z.boolean(),
      used: num,
      subscriptions: z.array(z.object({ sub_type: str, symbols: z.array(str) })),
    })),
  }),
  async run(ctx, args) {
    const info = await ctx.system.subscriptions(args.all_connections);
    return {
      used: info.totalUsedQuota,
      remaining: info.remainQuota,
      quota: info.totalUsedQuota + info.remainQuota,
      connections: info.connections.map((c) => ({
        own: c.isOwnConnection,
        used: c.usedQuota,
        subscriptions: c.subscriptions.map((s) => ({ sub_type: s.subType, symbols: s.symbols })),
      })),
    };
  },
  text: (r) =>
    [
      `quota: ${r.used} used, ${r.remaining} left of ${r.quota}`,
      ...r.connections.map((c) =>
        `${c.own ? "this connection" : "other connection"} (${c.used}): ` +
        (c.subscriptions.map((s) => `${s.sub_type} ${s.symbols.join(" ")}`).join("; ") || "none")
      ),
    ].join("\n"),
});

const klQuota = defineTool({
  name: "futu_get_history_kl_quota",
  title: "History K-line quota",
  description:
    "History K-line quota: distinct securities whose history was fetched in the last 30 days (used), and how many more may be (remaining). Repeats of a counted security are free. detail: true lists them with when they were first fetched.",
  toolset: "system",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({ detail: z.boolean().optional().default(false) }),
  output: z.object({ used: num, remaining: num, quota: num, detail: tableOf.optional() }),
  async run(ctx, args) {
    const q = await ctx.system.historyKLQuota(args.detail);
    return compact({
      used: q.usedQuota,
      remaining: q.remainQuota,
      quota: q.usedQuota + q.remainQuota,
      detail: args.detail
        ? {
          columns: ["symbol", "name", "request_time"],
          rows: q.detail.map((d) => [d.symbol, d.name ?? null, d.requestTime]),
        }
        : undefined,
    });
  },
  text: (r) =>
    [
      `quota: ${r.used} used, ${r.remaining} left of ${r.quota}`,
      ...(r.detail ? [table(r.detail.columns, r.detail.rows)] : []),
    ]
      .join("\n"),
});

const userInfo = defineTool({
  name: "futu_get_user_info",
  title: "OpenD user",
  description:
    "The user OpenD is logged in as: nickname, avatar URL, user id, region, subscription and history K-line quotas, and quote right per market (e.g. HK: LEVEL2, US_OPTION: LEVEL1, NO = none).",
  toolset: "system",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({}),
  output: z.object({
    nick_name: str.optional(),
    avatar_url: str.optional(),
    user_id: str.optional(),
    attribution: str.optional(),
    app: z.enum(["futu", "moomoo"]).optional(),
    sub_quota: num.optional(),
    history_kl_quota: num.optional(),
    qot_rights: z.record(str, str),
    us_option_right: z.boolean().optional(),
    need_agree_disclaimer: z.boolean().optional(),
    update_type: str.optional(),
    update_whats_new: str.optional(),
    api_level: str.optional(),
  }),
  async run(ctx) {
    const u = await ctx.system.userInfo();
    return compact({
      nick_name: u.nickName,
      avatar_url: u.avatarUrl,
      user_id: u.userId,
      attribution: u.attribution,
      app: u.futuApp === undefined ? undefined : u.futuApp ? "futu" as const : "moomoo" as const,
      sub_quota: u.subQuota,
      history_kl_quota: u.historyKLQuota,
      qot_rights: u.qotRights,
      us_option_right: u.hasUSOptionQotRight,
      need_agree_disclaimer: u.needAgreeDisclaimer,
      update_type: u.updateType,
      update_whats_new: u.updateWhatsNew,
      api_level: u.apiLevel,
    });
  },
  text: (r) => fields({ ...r, qot_rights: Object.entries(r.qot_rights).map(([m, q]) => `${m} ${q}`) }),
});

/** A bucket bound in ms, as OpenD's granularity allows; -1 = unbounded. */
const segment = z.number().int().refine((v) => v === -1 || (v > 0 && v <= 5000), {
  message: "expected ms in 1..5000, or -1 for no bound",
});

const delayStats = defineTool({
  name: "futu_get_delay_statistics",
  title: "OpenD delay statistics",
  description:
    "OpenD's measured delays in ms: quote pushes per type (count, average, non-empty histogram buckets) over push_stage (default SR2CS: quote server received → OpenD sent), request round trips per protocol, order placements. types: default all. segments: bucket bounds, e.g. [10,50,100,-1].",
  toolset: "system",
  scope: "qot:read",
  annotations: READ_OPEND,
  input: z.strictObject({
    types: z.array(enumArg(DELAY_TYPE)).min(1).optional(),
    push_stage: enumArg(PUSH_STAGE).optional().default("SR2CS"),
    segments: z.array(segment).min(1).max(100).optional(),
  }),
  output: z.object({
    push_stage: str,
    pushes: z.array(z.object({ type: str, count: num, avg_ms: num, buckets: tableOf })),
    requests: tableOf,
    orders: tableOf,
  }),
  async run(ctx, args) {
    const d = await ctx.system.delayStatistics({
      types: args.types,
      pushStage: args.push_stage,
      segments: args.segments,
    });
    return {
      push_stage: d.pushStage,
      pushes: d.pushes.map((p) => ({
        type: p.type,
        count: p.count,
        avg_ms: round(p.avgMs),
        buckets: {
          columns: ["from_ms", "to_ms", "count", "pct", "cum_pct"],
          rows: p.buckets.filter((b) => b.count > 0).map((b) => [
            b.beginMs,
            b.endMs,
            b.count,
            round(b.pct, 2),
            round(b.cumulativePct, 2),
          ]),
        },
      })),
      requests: {
        columns: ["proto_id", "protocol", "count", "total_avg_ms", "opend_avg_ms", "net_avg_ms", "local"],
        rows: d.requests.map((r) => [
          r.protoId,
          r.protocol ?? null,
          r.count,
          round(r.totalAvgMs),
          round(r.openDAvgMs),
          round(r.netAvgMs),
          r.localReply ? "yes" : "no",
        ]),
      },
      orders: {
        columns: ["order_id", "total_ms", "opend_ms", "net_ms", "update_ms"],
        rows: d.orders.map((o) => [o.orderId, round(o.totalMs), round(o.openDMs), round(o.netMs), round(o.updateMs)]),
      },
    };
  },
  text: (r) =>
    [
      `push stage: ${r.push_stage}`,
      ...r.pushes.map((p) =>
        `${p.type} pushes: ${p.count}, avg ${p.avg_ms} ms\n${table(p.buckets.columns, p.buckets.rows)}`
      ),
      `requests\n${table(r.requests.columns, r.requests.rows)}`,
      `orders\n${table(r.orders.columns, r.orders.rows)}`,
    ].join("\n"),
});

/** The tools of this file, in listing order. */
export const SYSTEM_TOOLS: readonly Tool[] = [
  marketState,
  globalState,
  subscriptions,
  klQuota,
  userInfo,
  delayStats,
];
