/**
 * Event contract subscriptions of the simulated OpenD (private to src/sim):
 * Qot_SubEventContract against a subscription book of their own (the classic
 * book's quota size and one-minute hold; pairs "EC.<code>|ORDER_BOOK", K-line
 * pairs with their sources), released when a connection goes; the check the
 * order book, ticker and K-line requests make; and the first push of a pair
 * registered for pushes (isFirstPush), sent right after the reply. Later
 * pushes are not sent: the server's push tick knows only catalog securities.
 *
 * @module
 */
import { SUB_TYPE } from "../gateway/enums.ts";
import type { C2S } from "../gateway/proto/codec.ts";
import { Common_PredSide, Qot_Common_EC_KlineSource, Qot_Common_SubType } from "../gateway/proto/messages.ts";
import { fail, rule } from "./_handler_common.ts";
import { contractOf, PERIOD_SUB, PERIODS, sourceOf } from "./_event_contracts_requests.ts";
import { klineItem, orderBookItem, tickerItem } from "./_event_contracts_wire.ts";
import type { EcContract } from "./event_contracts.ts";
import { latestBars } from "./event_contract_market.ts";
import type { SimContext } from "./handlers.ts";
import type { SimSession } from "./session.ts";
import { SubscriptionBook } from "./subscriptions.ts";

// ---- subscriptions (a book of their own, per OpenD) ----

const EC_SUB_TYPES: readonly number[] = [
  Qot_Common_SubType.OrderBook,
  Qot_Common_SubType.Ticker,
  Qot_Common_SubType.KL_1Min,
  Qot_Common_SubType.KL_60Min,
  Qot_Common_SubType.KL_Day,
];

interface SessionState {
  /** K-line sources subscribed, by pair ("EC.X|K_DAY" → {0, 1}). */
  sources: Map<string, Set<number>>;
  /** Pairs with pushes registered. */
  pushes: Set<string>;
}

interface EcState {
  book: SubscriptionBook;
  sessions: Map<number, SessionState>;
}

const STATES = new WeakMap<object, EcState>();

function stateOf(ctx: SimContext): EcState {
  let state = STATES.get(ctx.market);
  if (!state) {
    const classic = ctx.subscriptions;
    state = { book: new SubscriptionBook(classic.quota, classic.minHoldMs, classic.now), sessions: new Map() };
    STATES.set(ctx.market, state);
  }
  // Connections that went away release their pairs (kept for the rest of their minute, like OpenD).
  const live = new Set([...ctx.sessions].map((s) => s.number));
  for (const number of [...state.sessions.keys()]) {
    if (!live.has(number)) {
      state.book.release(number);
      state.sessions.delete(number);
    }
  }
  return state;
}

function sessionState(state: EcState, session: SimSession): SessionState {
  let found = state.sessions.get(session.number);
  if (!found) state.sessions.set(session.number, found = { sources: new Map(), pushes: new Set() });
  return found;
}

function pairOf(contract: EcContract, subType: number): string {
  return `EC.${contract.code}|${SUB_TYPE.fromWire(subType)}`;
}

export function requireSubscription(
  ctx: SimContext,
  session: SimSession,
  contract: EcContract,
  subType: number,
  source?: number,
) {
  const state = stateOf(ctx);
  const pair = pairOf(contract, subType);
  const held = state.book.holds(session.number, pair) &&
    (source === undefined || (state.sessions.get(session.number)?.sources.get(pair)?.has(source) ?? false));
  if (!held) {
    const what = source === undefined
      ? SUB_TYPE.fromWire(subType)
      : `${SUB_TYPE.fromWire(subType)} (klineSource ${source})`;
    fail(`EC.${contract.code} is not subscribed to ${what} on this connection; subscribe first (Qot_SubEventContract)`);
  }
}

/** Sends the current data of a pair once, after the reply. */
function firstPush(
  ctx: SimContext,
  session: SimSession,
  contract: EcContract,
  subType: number,
  sources: readonly number[],
) {
  setTimeout(() => {
    if (session.closed) return;
    const now = ctx.market.clock.now();
    if (subType === Qot_Common_SubType.OrderBook) {
      session.push("Qot_UpdateEventContractOrderBook", { orderBookList: [orderBookItem(contract, now, 10)] });
    } else if (subType === Qot_Common_SubType.Ticker) {
      session.push("Qot_UpdateEventContractTicker", { tickerList: [tickerItem(contract, now, 10)] });
    } else {
      const period = [...PERIODS.values()].find((p) => PERIOD_SUB[p] === subType)!;
      const klineList = sources.map((source) => {
        const orderBook = source === Qot_Common_EC_KlineSource.OrderBookYes;
        const bars = latestBars(contract, period, now, 1, Common_PredSide.Yes, orderBook);
        return klineItem(contract, period, bars, Common_PredSide.Yes, orderBook);
      });
      session.push("Qot_UpdateEventContractKline", { klineList });
    }
  }, 0);
}

export function subscribe(
  ctx: SimContext,
  session: SimSession,
  c2s: C2S<"Qot_SubEventContract">,
): Record<string, never> {
  const state = stateOf(ctx);
  const mine = sessionState(state, session);
  if (c2s.isUnsubAll) {
    rule(() => state.book.unsubscribe(session.number, state.book.pairsOf(session.number)));
    mine.sources.clear();
    mine.pushes.clear();
    return {};
  }
  const contracts = (c2s.securityList ?? []).map((s) => contractOf(ctx, s, "securityList"));
  const subTypes = c2s.subTypeList ?? [];
  if (contracts.length === 0 || subTypes.length === 0) fail("securityList and subTypeList must not be empty");
  for (const subType of subTypes) {
    if (!EC_SUB_TYPES.includes(subType)) {
      fail(
        `subType ${subType} (${
          SUB_TYPE.fromWire(subType)
        }) is not available for event contracts: use ORDER_BOOK, TICKER, K_1M, K_60M or K_DAY`,
      );
    }
  }
  const sources = c2s.klineSource?.length ? [...new Set(c2s.klineSource)] : [Qot_Common_EC_KlineSource.None];
  for (const source of sources) sourceOf(source);
  const isKline = (subType: number) =>
    subType !== Qot_Common_SubType.OrderBook && subType !== Qot_Common_SubType.Ticker;
  const pairs = contracts.flatMap((contract) =>
    subTypes.map((subType) => ({ contract, subType, pair: pairOf(contract, subType) }))
  );
  if (c2s.isSubOrUnSub) {
    rule(() => state.book.subscribe(session.number, pairs.map((p) => p.pair)));
    for (const { contract, subType, pair } of pairs) {
      if (isKline(subType)) {
        const held = mine.sources.get(pair) ?? new Set<number>();
        for (const source of sources) held.add(source);
        mine.sources.set(pair, held);
      }
      if (c2s.isRegOrUnRegPush === true) {
        mine.pushes.add(pair);
        if (c2s.isFirstPush ?? true) firstPush(ctx, session, contract, subType, isKline(subType) ? sources : []);
      } else if (c2s.isRegOrUnRegPush === false) {
        mine.pushes.delete(pair);
      }
    }
    return {};
  }
  // Unsubscribing a K-line type with sources drops those sources; the pair goes with its last source.
  const release: string[] = [];
  for (const { subType, pair } of pairs) {
    const held = mine.sources.get(pair);
    if (isKline(subType) && c2s.klineSource?.length && held) {
      for (const source of sources) held.delete(source);
      if (held.size > 0) continue;
    }
    release.push(pair);
  }
  rule(() => state.book.unsubscribe(session.number, release));
  for (const pair of release) {
    mine.sources.delete(pair);
    mine.pushes.delete(pair);
  }
  return {};
}
