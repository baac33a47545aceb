/**
 * Order writes and the trade unlock. Writes are idempotent by key for 90 s
 * (a repeat gets the first outcome and places nothing), and a write whose
 * outcome is unknown is reported as such and never re-sent.
 *
 * @example
 * ```ts
 * import { OrderService } from "./orders.ts";
 * // const orders = new OrderService(gateway, { passwords: envPasswordSource() });
 * // await orders.place({ accId: "6234567", env: "SIMULATE", market: "HK" },
 * //   { symbol: "HK.00700", side: "BUY", orderType: "NORMAL", qty: 100, price: 400 }, { idempotencyKey: "k1" });
 * ```
 *
 * @module
 */
import {
  type Gateway,
  md5Hex,
  type ModifyOrderInput,
  OpenDError,
  type Order,
  type OrderStatusName,
  type PlacedOrder,
  type PlaceOrderInput,
  type SecurityFirmName,
  type TradeTarget,
  type TrdMarketName,
} from "../gateway/mod.ts";
import { type Idempotency, IdempotencyCache, SharedIdempotency } from "./idempotency.ts";
import type { IdempotencyStore } from "../state/store.ts";
import type { TradePasswordSource } from "./trade_password.ts";

/** The trade password is not configured anywhere the server looks. */
export class TradePasswordMissingError extends Error {
  override name = "TradePasswordMissingError";
}

/** A wrong trade password was sent recently: unlocking waits (brokers lock accounts after repeated failures). */
export class UnlockCooldownError extends Error {
  override name = "UnlockCooldownError";
}

/** Options of {@link OrderService}. */
export interface OrderServiceOptions {
  passwords: TradePasswordSource;
  /** How long an idempotency key is remembered. Default 90 000 ms. */
  idempotencyWindowMs?: number;
  /** Where idempotency records live when replicas share them (default: this process). */
  idempotencyStore?: IdempotencyStore;
  /** How long unlocking is refused after OpenD rejected the trade password. Default 60 000 ms. */
  unlockCooldownMs?: number;
}

/** Result of a write, with whether it was a replay of an earlier identical call. */
export interface WriteResult extends PlacedOrder {
  replayed: boolean;
}

/** What a cancel-all did: the orders that were open, as they are now, and any that could not be cancelled. */
export interface CancelAllResult {
  /** "for_all": one cancel-all request (real accounts); "each": one cancel per order (paper trading has no cancel-all). */
  method: "for_all" | "each";
  orders: Order[];
  failed: { orderId: string; error: string }[];
  replayed: boolean;
}

/** Statuses an order can be cancelled in. */
const CANCELLABLE: readonly OrderStatusName[] = [
  "WAITING_SUBMIT",
  "SUBMITTING",
  "SUBMITTED",
  "FILLED_PART",
  "DISABLED",
];

/** Options of a write. */
export interface WriteOptions {
  /** Caller-chosen key; a repeat within the window returns the first outcome. */
  idempotencyKey?: string;
  /** Who asks: keys are scoped per caller so two callers cannot collide. */
  caller?: string;
}

function fingerprint(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(
          Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => a.localeCompare(b)),
        )
        : v,
  );
}

/** See the module documentation. */
export class OrderService {
  readonly #gateway: Gateway;
  readonly #passwords: TradePasswordSource;
  // One key space for every write: a key reused for a different kind of write is a conflict, not a second write.
  readonly #idempotency: Idempotency<unknown>;
  readonly #cooldownMs: number;
  #cooldownUntil = 0;

  constructor(gateway: Gateway, options: OrderServiceOptions) {
    this.#gateway = gateway;
    this.#passwords = options.passwords;
    const windowMs = options.idempotencyWindowMs ?? 90_000;
    this.#idempotency = options.idempotencyStore
      ? new SharedIdempotency(options.idempotencyStore, windowMs)
      : new IdempotencyCache(windowMs);
    this.#cooldownMs = options.unlockCooldownMs ?? 60_000;
  }

  /** Places an order. */
  place(target: TradeTarget, order: PlaceOrderInput, options: WriteOptions = {}): Promise<WriteResult> {
    return this.#write(["place", target, order], options, () => this.#gateway.trade.placeOrder(target, order));
  }

  /** Modifies, cancels, disables, enables or deletes an order. */
  modify(target: TradeTarget, change: ModifyOrderInput, options: WriteOptions = {}): Promise<WriteResult> {
    return this.#write(["modify", target, change], options, () => this.#gateway.trade.modifyOrder(target, change));
  }

  /**
   * Cancels every cancellable order of an account in `market`, or in each of `markets` (all the account's
   * markets) when `market` is undefined. Real accounts: one cancel-all request (OpenD's `forAll`); paper
   * accounts, which OpenD refuses it for: one cancel per order.
   */
  async cancelAll(
    account: { accId: string; env: TradeTarget["env"]; markets: readonly TrdMarketName[] },
    market: TrdMarketName | undefined,
    options: WriteOptions = {},
  ): Promise<CancelAllResult> {
    const request = ["cancel_all", account.accId, account.env, market ?? "ALL"];
    const { value, replayed } = await this.#run(request, options, () => this.#cancelAll(account, market));
    return { ...value, replayed };
  }

  async #cancelAll(
    account: { accId: string; env: TradeTarget["env"]; markets: readonly TrdMarketName[] },
    market: TrdMarketName | undefined,
  ): Promise<Omit<CancelAllResult, "replayed">> {
    const trade = this.#gateway.trade;
    const markets = market ? [market] : account.markets;
    const open = new Map<string, { order: Order; target: TradeTarget }>();
    for (const m of markets) {
      const target = { accId: account.accId, env: account.env, market: m };
      for (const order of await trade.getOrders(target, { statuses: [...CANCELLABLE] })) {
        // A universal account may list every market's orders under each: keep each order under its own market.
        if ((order.market ?? m) === m) open.set(order.orderId, { order, target });
      }
    }
    const failed: CancelAllResult["failed"] = [];
    const method = account.env === "REAL" ? "for_all" : "each";
    if (method === "for_all") {
      await trade.cancelAllOrders({ accId: account.accId, env: account.env, market });
    } else {
      for (const { order, target } of open.values()) {
        try {
          await trade.modifyOrder(target, { orderId: order.orderId, op: "CANCEL" });
        } catch (err) {
          if (!(err instanceof OpenDError)) throw err;
          failed.push({ orderId: order.orderId, error: err.retMsg });
        }
      }
    }
    const orders: Order[] = [];
    for (const { order, target } of open.values()) {
      const [now] = await trade.getOrders(target, { filter: { ids: [order.orderId] } });
      orders.push(now ?? order);
    }
    return { method, orders, failed };
  }

  /** True when {@link OrderService.cancelAll} with these arguments would replay an earlier outcome. */
  async isCancelAllReplay(
    accId: string,
    env: TradeTarget["env"],
    market: TrdMarketName | undefined,
    options: WriteOptions,
  ): Promise<boolean> {
    return (await this.#peek(["cancel_all", accId, env, market ?? "ALL"], options)) === "same";
  }

  /** True when {@link OrderService.place} with these arguments would replay an earlier outcome (and write nothing). */
  async isPlaceReplay(target: TradeTarget, order: PlaceOrderInput, options: WriteOptions): Promise<boolean> {
    return (await this.#peek(["place", target, order], options)) === "same";
  }

  /** True when {@link OrderService.modify} with these arguments would replay an earlier outcome. */
  async isModifyReplay(target: TradeTarget, change: ModifyOrderInput, options: WriteOptions): Promise<boolean> {
    return (await this.#peek(["modify", target, change], options)) === "same";
  }

  #peek(request: unknown, options: WriteOptions): Promise<"none" | "same" | "conflict"> {
    if (options.idempotencyKey === undefined) return Promise.resolve("none");
    return this.#idempotency.peek(this.#key(options), fingerprint(request));
  }

  #key(options: WriteOptions): string {
    return `${options.caller ?? ""}\u0000${options.idempotencyKey}`;
  }

  async #write(request: unknown, options: WriteOptions, action: () => Promise<PlacedOrder>): Promise<WriteResult> {
    const { value, replayed } = await this.#run(request, options, action);
    return { ...value, replayed };
  }

  async #run<T>(
    request: unknown,
    options: WriteOptions,
    action: () => Promise<T>,
  ): Promise<{ value: T; replayed: boolean }> {
    if (options.idempotencyKey === undefined) return { value: await action(), replayed: false };
    const { value, replayed } = await this.#idempotency.run(this.#key(options), fingerprint(request), action);
    return { value: value as T, replayed };
  }

  /**
   * Unlocks (or locks) real trading for the whole OpenD. The password comes
   * from the configured source; only its MD5 is sent.
   */
  async unlock(unlock: boolean, securityFirm?: SecurityFirmName): Promise<void> {
    if (!unlock) {
      await this.#gateway.trade.unlockTrade(false, undefined, securityFirm);
      return;
    }
    const wait = this.#cooldownUntil - Date.now();
    if (wait > 0) {
      throw new UnlockCooldownError(
        `unlocking is paused for ${Math.ceil(wait / 1000)} s because OpenD rejected the trade password; ` +
          "the operator must check it (futucli set-trade-pwd) before retrying",
      );
    }
    const password = await this.#passwords.read();
    if (password === undefined) {
      throw new TradePasswordMissingError(
        `no trade password is configured (looked in ${this.#passwords.description}). ` +
          "The operator stores it with `futucli set-trade-pwd`; it is never passed through the model.",
      );
    }
    try {
      await this.#gateway.trade.unlockTrade(true, md5Hex(password), securityFirm);
    } catch (err) {
      if (err instanceof OpenDError && /password/i.test(err.retMsg)) {
        this.#cooldownUntil = Date.now() + this.#cooldownMs;
      }
      throw err;
    }
  }
}
