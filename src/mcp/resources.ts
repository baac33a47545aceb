/**
 * MCP resources: a security's quote and order book, an account's positions,
 * orders and funds, read as the JSON of the matching tool's result and kept
 * fresh by subscriptions fed by OpenD's pushes.
 *
 * Every read and every subscription is a tool call through the reader guard
 * (futu_get_quote, futu_watch_quotes, futu_get_positions, futu_watch_orders,
 * …), so the key's scopes, account whitelist and audit apply as they do to
 * tools, and each push passes the push hub's dispatch filter (the key's
 * current rights) before it can mark a resource updated.
 *
 * `notifications/resources/updated` says "your copy is stale": after one, a
 * resource is not announced again until the client reads it. A quote can push
 * several times a second; a client that re-reads on each notification thereby
 * paces its own updates, and one that does not is not flooded. A read clears
 * the mark when it starts, so a push during the read is announced again.
 *
 * @module
 */
import type { PushMessage } from "../services/push.ts";
import { TRADING_MARKETS } from "../tools/account.ts";
import type { CallMeta, ToolGuard } from "../tools/guard.ts";
import type { PushSink } from "../tools/tool.ts";
import {
  callTool,
  isRefusal,
  mcpError,
  type Structured,
  type VisibleAccount,
  visibleAccounts,
  watchlist,
} from "./_resource_call.ts";
import { parseResourceUri, RESOURCE_TEMPLATES, type ResourceTarget, resourceUri } from "./_resource_uri.ts";
import { ErrorCode, McpError, type ReadResourceResult, type Resource } from "./sdk.ts";

export { RESOURCE_TEMPLATES };

/** At most this many subscribed URIs per session: each quote watch holds an OpenD subscription. */
const MAX_SUBSCRIPTIONS = 100;
/** At most this many watchlist quotes in `resources/list`. */
const MAX_LISTED_QUOTES = 100;

const JSON_MIME = "application/json";

/** What one push source (a symbol's quotes, its book, an account's orders) feeds. */
interface Watch {
  readonly key: string;
  /** The subscribed URIs (as the client spelled them) this watch feeds. */
  readonly uris: Set<string>;
}

interface Subscription {
  readonly watch: Watch;
  readonly canonical: string;
  /** Announced as updated and not read since. */
  stale: boolean;
}

/** The watch a target is fed by. */
function watchKey(target: ResourceTarget): string {
  return target.kind === "security" ? `${target.view}|${target.symbol}` : `account|${target.accId}`;
}

/** The watch a push feeds, if any resource can show it. */
function pushKey(push: PushMessage): string | undefined {
  switch (push.type) {
    case "quote":
      return `quote|${push.symbol}`;
    case "orderbook":
      return `orderbook|${push.symbol}`;
    case "order":
    case "fill":
      return `account|${push.acc_id}`;
    default:
      return undefined;
  }
}

/** The push tool call that starts (or, with stop, ends) a watch. */
function watchCall(target: ResourceTarget, stop: boolean): [string, Record<string, unknown>] {
  if (target.kind === "account") return ["futu_watch_orders", { acc_ids: [target.accId], stop }];
  const subType = target.view === "quote" ? "QUOTE" : "ORDER_BOOK";
  return ["futu_watch_quotes", { symbols: [target.symbol], sub_types: [subType], stop }];
}

function describeAccount(account: VisibleAccount): string {
  return `${account.env} account ${account.acc_id} (${account.markets.join("/")}${
    account.type ? `, ${account.type}` : ""
  })`;
}

const ACCOUNT_VIEWS = [
  { view: "positions", title: "Positions", about: "positions in every market it trades" },
  { view: "orders", title: "Orders", about: "today's orders" },
  { view: "funds", title: "Funds", about: "funds in its base currency" },
] as const;

/** One MCP session's resources and subscriptions. */
export class ResourceSession {
  readonly #reader: ToolGuard;
  readonly #sink: PushSink;
  readonly #updated: (uri: string) => void;
  readonly #watches = new Map<string, Watch>();
  readonly #subscriptions = new Map<string, Subscription>();
  /** Subscribes and unsubscribes run one at a time: a watch starts once and stops once. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { reader: ToolGuard; sinkId: string; updated: (uri: string) => void }) {
    this.#reader = options.reader;
    this.#updated = options.updated;
    // PushHub makes the channel `${sinkId}:${caller}` of it; the session's close removes them all.
    this.#sink = { id: options.sinkId, send: (push) => this.#onPush(push) };
  }

  /** `resources/list`: the caller's visible accounts' positions, orders and funds, and its watchlist's quotes. */
  async list(meta: CallMeta): Promise<Resource[]> {
    const [accounts, watched] = await Promise.all([
      visibleAccounts(this.#reader, meta).catch((err) => {
        // A key without acc:read has no account resources; any other failure (OpenD down) is reported.
        if (err instanceof McpError && isRefusal(err)) return [];
        throw err;
      }),
      watchlist(this.#reader, meta),
    ]);
    const resources: Resource[] = accounts.flatMap((account) =>
      ACCOUNT_VIEWS.map(({ view, title, about }) => ({
        uri: resourceUri({ kind: "account", view, accId: account.acc_id }),
        name: `${account.acc_id} ${view}`,
        title: `${title} of ${account.env} account ${account.acc_id}`,
        description: `${describeAccount(account)}: ${about}.`,
        mimeType: JSON_MIME,
      }))
    );
    for (const { symbol, name } of watched.slice(0, MAX_LISTED_QUOTES)) {
      resources.push({
        uri: resourceUri({ kind: "security", view: "quote", symbol }),
        name: `${symbol} quote`,
        title: `${name || symbol} (${symbol})`,
        description: `Real-time quote of ${symbol}, on the user's watchlist.`,
        mimeType: JSON_MIME,
      });
    }
    return resources;
  }

  /** `resources/read`: the matching tool's structured result as JSON. */
  async read(uri: string, meta: CallMeta): Promise<ReadResourceResult> {
    const target = parseResourceUri(uri);
    const canonical = resourceUri(target);
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.canonical === canonical) subscription.stale = false;
    }
    const body = target.kind === "security"
      ? await callTool(
        this.#reader,
        target.view === "quote" ? "futu_get_quote" : "futu_get_orderbook",
        { symbol: target.symbol },
        meta,
      )
      : await this.#readAccount(target, meta);
    return { contents: [{ uri, mimeType: JSON_MIME, text: JSON.stringify(body) }] };
  }

  /** `resources/subscribe`: starts the watch the URI is fed by (shared by the URIs it feeds). */
  subscribe(uri: string, meta: CallMeta): Promise<void> {
    const target = parseResourceUri(uri);
    return this.#serial(async () => {
      if (this.#subscriptions.has(uri)) return;
      if (this.#subscriptions.size >= MAX_SUBSCRIPTIONS) {
        throw mcpError(
          ErrorCode.InvalidRequest,
          `at most ${MAX_SUBSCRIPTIONS} resource subscriptions per session: unsubscribe from some first`,
        );
      }
      const key = watchKey(target);
      let watch = this.#watches.get(key);
      if (!watch) {
        const [tool, args] = watchCall(target, false);
        await callTool(this.#reader, tool, args, { ...meta, push: this.#sink });
        watch = { key, uris: new Set() };
        this.#watches.set(key, watch);
      }
      watch.uris.add(uri);
      this.#subscriptions.set(uri, { watch, canonical: resourceUri(target), stale: false });
    });
  }

  /** `resources/unsubscribe`: the watch stops when the last URI it feeds goes. */
  unsubscribe(uri: string, meta: CallMeta): Promise<void> {
    const target = parseResourceUri(uri);
    return this.#serial(async () => {
      const subscription = this.#subscriptions.get(uri);
      if (!subscription) return;
      this.#subscriptions.delete(uri);
      const watch = subscription.watch;
      watch.uris.delete(uri);
      if (watch.uris.size > 0) return;
      const [tool, args] = watchCall(target, true);
      await callTool(this.#reader, tool, args, { ...meta, push: this.#sink });
      // Forgotten only once stopped: after a failed stop the watch stays (feeding nothing) and is reused, and
      // the session's close removes it.
      this.#watches.delete(watch.key);
    });
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => {});
    return run;
  }

  #onPush(push: PushMessage): void {
    const key = pushKey(push);
    const watch = key === undefined ? undefined : this.#watches.get(key);
    if (!watch) return;
    for (const uri of watch.uris) {
      const subscription = this.#subscriptions.get(uri);
      if (!subscription || subscription.stale) continue;
      subscription.stale = true;
      this.#updated(uri);
    }
  }

  /** An account resource; positions and orders cover every market the account trades. */
  async #readAccount(target: Extract<ResourceTarget, { kind: "account" }>, meta: CallMeta): Promise<Structured> {
    const account = (await visibleAccounts(this.#reader, meta)).find((a) => a.acc_id === target.accId);
    if (!account) {
      throw mcpError(
        ErrorCode.InvalidParams,
        `acc_id ${target.accId} is not an account this key may read (resources/list shows those it may)`,
      );
    }
    const base = { acc_id: account.acc_id, env: account.env.toLowerCase() };
    if (target.view === "funds") return await callTool(this.#reader, "futu_get_funds", base, meta);
    const tool = target.view === "positions" ? "futu_get_positions" : "futu_get_orders";
    const markets = account.markets.filter((m) => (TRADING_MARKETS as readonly string[]).includes(m));
    const parts = await Promise.all(
      (markets.length > 0 ? markets : [undefined]).map((market) =>
        callTool(this.#reader, tool, market ? { ...base, market } : base, meta)
      ),
    );
    // A universal account may answer every market's query with all its orders: each row once.
    const seen = new Set<string>();
    const rows = parts.flatMap((part) => part.rows as unknown[][]).filter((row) => {
      const id = target.view === "orders" ? String(row[0]) : `${row[0]}|${row[2]}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return { acc_id: account.acc_id, env: account.env, markets, columns: parts[0].columns, rows };
  }
}
