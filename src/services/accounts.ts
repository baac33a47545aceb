/**
 * Trading accounts as OpenD reports them, the resolution of which account a
 * call addresses, and what an account holds: funds, positions, today's orders
 * and fills. An account's environment (REAL or SIMULATE) is always the
 * one OpenD reports, never what a caller claims: a mismatch is refused.
 *
 * @example
 * ```ts
 * import { Gateway } from "../gateway/mod.ts";
 * import { AccountService } from "./accounts.ts";
 * const accounts = new AccountService(await Gateway.connect({ gateway: "127.0.0.1:11111" }));
 * const target = await accounts.resolve({ env: "SIMULATE", symbol: "HK.00700" });
 * ```
 *
 * @module
 */
import {
  type Account,
  type Funds,
  type Gateway,
  type Order,
  type OrderFill,
  parseSymbol,
  parseUint64,
  type Position,
  type TradeTarget,
  type TrdEnvName,
  type TrdMarketName,
} from "../gateway/types.ts";

/** The account a call names cannot be used as asked. */
export class AccountError extends Error {
  override name = "AccountError";
}

/** What a call says about its account. */
export interface AccountQuery {
  accId?: string;
  env: TrdEnvName;
  market?: TrdMarketName;
  /** For orders: the security, which decides the market when `market` is absent. */
  symbol?: string;
}

/** The trading market of a security for an environment (A-shares: CN on paper, HKCC for real). */
function marketOfSymbol(symbol: string, env: TrdEnvName): TrdMarketName {
  const { market } = parseSymbol(symbol);
  if (market === "HK" || market === "HK_FUTURE") return "HK";
  if (market === "US") return "US";
  if (market === "SH" || market === "SZ") return env === "REAL" ? "HKCC" : "CN";
  if (market === "SG" || market === "JP" || market === "AU" || market === "MY" || market === "CA") return market;
  throw new AccountError(`no trading market for ${symbol}`);
}

/** See the module documentation. */
export class AccountService {
  readonly #gateway: Gateway;
  readonly #ttlMs: number;
  #cache: { at: number; accounts: Promise<Account[]> } | undefined;

  constructor(gateway: Gateway, options: { ttlMs?: number } = {}) {
    this.#gateway = gateway;
    this.#ttlMs = options.ttlMs ?? 60_000;
    // A new OpenD session may list other accounts: forget the cache when the link comes back.
    gateway.client.onStateChange((change) => {
      if (change.state === "ready") this.#cache = undefined;
    });
  }

  /** Every account (cached briefly: the list rarely changes and OpenD is asked often). */
  list(refresh = false): Promise<Account[]> {
    const now = Date.now();
    if (refresh || !this.#cache || now - this.#cache.at > this.#ttlMs) {
      const accounts = this.#gateway.trade.getAccList();
      this.#cache = { at: now, accounts };
      accounts.catch(() => this.#cache = undefined);
    }
    return this.#cache.accounts;
  }

  /** Funds of an account, optionally in one currency. */
  funds(target: TradeTarget, options: Parameters<Gateway["trade"]["getFunds"]>[1] = {}): Promise<Funds> {
    return this.#gateway.trade.getFunds(target, options);
  }

  /** Positions of an account. */
  positions(target: TradeTarget): Promise<Position[]> {
    return this.#gateway.trade.getPositions(target);
  }

  /** Today's orders of an account (and open orders of earlier days), optionally filtered. */
  orders(target: TradeTarget, options: Parameters<Gateway["trade"]["getOrders"]>[1] = {}): Promise<Order[]> {
    return this.#gateway.trade.getOrders(target, options);
  }

  /** One of today's orders by id, or undefined. */
  async order(target: TradeTarget, orderId: string): Promise<Order | undefined> {
    const [order] = await this.#gateway.trade.getOrders(target, { filter: { ids: [orderId] } });
    return order;
  }

  /** Today's fills of an account. */
  fills(target: TradeTarget): Promise<OrderFill[]> {
    return this.#gateway.trade.getOrderFills(target);
  }

  /** One account by id; refreshes the list once before declaring it unknown. */
  async get(accId: string): Promise<Account> {
    const id = parseUint64(accId, "acc_id");
    const find = (list: Account[]) => list.find((a) => a.accId === id);
    const account = find(await this.list()) ?? find(await this.list(true));
    if (!account) throw new AccountError(`unknown acc_id ${id}: futu_list_accounts shows the accounts OpenD offers`);
    return account;
  }

  /**
   * The target of a call. With `accId`, its real environment must equal `env`
   * and it must trade the market. Without, a single matching account is
   * chosen; several REAL candidates are refused rather than guessed.
   */
  async resolve(query: AccountQuery): Promise<TradeTarget> {
    const wanted = query.market ?? (query.symbol ? marketOfSymbol(query.symbol, query.env) : undefined);
    if (query.accId !== undefined) {
      const account = await this.get(query.accId);
      if (account.env !== query.env) {
        throw new AccountError(
          `acc_id ${account.accId} is a ${account.env} account but the call asked for env ${query.env.toLowerCase()}; ` +
            `pass env "${account.env.toLowerCase()}" to use it`,
        );
      }
      const market = wanted ?? account.markets[0];
      if (!market || !account.markets.includes(market)) {
        throw new AccountError(
          `acc_id ${account.accId} cannot trade market ${market}; it trades ${account.markets.join(", ")}`,
        );
      }
      return { accId: account.accId, env: account.env, market };
    }
    const candidates = (await this.list()).filter((a) =>
      a.env === query.env && (wanted === undefined || a.markets.includes(wanted))
    );
    if (candidates.length === 0) {
      throw new AccountError(
        `no ${query.env} account${wanted ? ` for market ${wanted}` : ""}: futu_list_accounts shows what OpenD offers`,
      );
    }
    if (query.env === "REAL" && candidates.length > 1) {
      throw new AccountError(
        `several REAL accounts match (${candidates.map((a) => a.accId).join(", ")}): pass acc_id to choose one`,
      );
    }
    const account = candidates[0];
    return { accId: account.accId, env: account.env, market: wanted ?? account.markets[0] };
  }
}
