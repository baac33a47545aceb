/**
 * OpenD's per-protocol rate limits: at most `n` requests in any sliding 30 s
 * window, and for order placement and modification at least 20 ms between
 * consecutive requests.
 *
 * @module
 */

/** One protocol's limit. */
export interface RateLimit {
  max: number;
  windowMs: number;
  /** Minimum gap between consecutive requests. */
  minGapMs?: number;
  /** Counts only when this returns true for the request (e.g. first pages, refreshCache=true). */
  counts?: (c2s: unknown) => boolean;
}

const WINDOW = 30_000;
const refreshOnly = (c2s: unknown) => (c2s as { refreshCache?: boolean }).refreshCache === true;

/** The limits of the protocols the simulator serves (OpenD documentation). */
export const OPEND_RATE_LIMITS: Readonly<Record<string, RateLimit>> = {
  Trd_UnlockTrade: { max: 10, windowMs: WINDOW },
  Trd_GetFunds: { max: 10, windowMs: WINDOW, counts: refreshOnly },
  Trd_GetPositionList: { max: 10, windowMs: WINDOW, counts: refreshOnly },
  Trd_GetMaxTrdQtys: { max: 10, windowMs: WINDOW },
  Trd_GetOrderList: { max: 10, windowMs: WINDOW, counts: refreshOnly },
  Trd_PlaceOrder: { max: 15, windowMs: WINDOW, minGapMs: 20 },
  Trd_ModifyOrder: { max: 20, windowMs: WINDOW, minGapMs: 20 },
  Trd_GetOrderFillList: { max: 10, windowMs: WINDOW, counts: refreshOnly },
  Trd_GetHistoryOrderList: { max: 10, windowMs: WINDOW },
  Trd_GetHistoryOrderFillList: { max: 10, windowMs: WINDOW },
  Qot_RequestHistoryKL: {
    max: 60,
    windowMs: WINDOW,
    counts: (c2s) => !(c2s as { nextReqKey?: Uint8Array }).nextReqKey?.length,
  },
  Qot_GetSecuritySnapshot: { max: 60, windowMs: WINDOW },
  Qot_GetPlateSet: { max: 10, windowMs: WINDOW },
  Qot_GetPlateSecurity: { max: 10, windowMs: WINDOW },
  Qot_GetMarketState: { max: 10, windowMs: WINDOW },
  Qot_RequestRehab: { max: 60, windowMs: WINDOW },
  Qot_GetReference: { max: 10, windowMs: WINDOW },
  Qot_GetOwnerPlate: { max: 10, windowMs: WINDOW },
  Qot_GetHoldingChangeList: { max: 10, windowMs: WINDOW },
  Qot_GetOptionChain: { max: 10, windowMs: WINDOW },
  Qot_GetWarrant: { max: 60, windowMs: WINDOW },
  Qot_GetCapitalFlow: { max: 30, windowMs: WINDOW },
  Qot_GetCapitalDistribution: { max: 30, windowMs: WINDOW },
  Qot_GetUserSecurity: { max: 10, windowMs: WINDOW },
  Qot_ModifyUserSecurity: { max: 10, windowMs: WINDOW },
  Qot_StockFilter: { max: 10, windowMs: WINDOW },
  Qot_GetIpoList: { max: 10, windowMs: WINDOW },
  Qot_GetFutureInfo: { max: 30, windowMs: WINDOW },
  Qot_RequestTradeDate: { max: 30, windowMs: WINDOW },
  Qot_SetPriceReminder: { max: 60, windowMs: WINDOW },
  Qot_GetPriceReminder: { max: 10, windowMs: WINDOW },
  Qot_GetUserSecurityGroup: { max: 10, windowMs: WINDOW },
};

/** Sliding-window limiter keyed by protocol name. */
export class RateLimiter {
  readonly #limits: Readonly<Record<string, RateLimit>>;
  readonly #history = new Map<string, number[]>();
  readonly #now: () => number;

  constructor(limits: Readonly<Record<string, RateLimit>> = OPEND_RATE_LIMITS, now: () => number = () => Date.now()) {
    this.#limits = limits;
    this.#now = now;
  }

  /**
   * Records a request; returns undefined when allowed, or the reason it is
   * refused (a refused request is not recorded).
   */
  check(protocol: string, c2s: unknown): string | undefined {
    const limit = this.#limits[protocol];
    if (!limit || (limit.counts && !limit.counts(c2s))) return undefined;
    const now = this.#now();
    const history = this.#history.get(protocol) ?? [];
    while (history.length > 0 && history[0] <= now - limit.windowMs) history.shift();
    if (limit.minGapMs && history.length > 0 && now - history[history.length - 1] < limit.minGapMs) {
      return `${protocol} requests must be at least ${limit.minGapMs} ms apart`;
    }
    if (history.length >= limit.max) {
      const retryIn = Math.ceil((history[0] + limit.windowMs - now) / 1000);
      return `Request too frequent: ${protocol} is limited to ${limit.max} requests per ${
        limit.windowMs / 1000
      } s; retry in ${retryIn} s`;
    }
    history.push(now);
    this.#history.set(protocol, history);
    return undefined;
  }

  /** Forgets every recorded request. */
  reset(): void {
    this.#history.clear();
  }
}
