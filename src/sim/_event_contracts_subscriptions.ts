/**
 * Event contract subscriptions of the simulated OpenD (private to src/sim):
 * Qot_SubEventContract against a subscription book of their own (the classic
 * book's quota size and one-minute hold; pairs "EC.<code>|ORDER_BOOK", K-line
 * pairs with their sources), released when a connection goes; the check the
 * order book, ticker and K-line requests make; and the pushes of pairs
 * registered for them: the first (isFirstPush, default true) right after the
 * reply, then, from the server's push tick ({@link pushEventContracts}),
 * whatever changed as the clock moved, like the classic quote pushes:
 * Qot_UpdateEventContractOrderBook with the 10-level book when it changed,
 * Qot_UpdateEventContractTicker with the prints made since the last push
 * (at most 1000, the ticker request's limit), Qot_UpdateEventContractKline
 * with the latest bar of each subscribed K-line source when one changed.
 * Each push equals what the matching request (num 10; count = the prints
 * pushed; maxCount 1) returns at that instant. Without isFirstPush the data
 * at registration is the baseline and only changes are pushed.
 *
 * @module
 */
import { SUB_TYPE } from "../gateway/enums.ts";
import type { C2S } from "../gateway/proto/codec.ts";
import { Common_PredSide, Qot_Common_EC_KlineSource, Qot_Common_SubType } from "../gateway/proto/messages.ts";
import { fail, rule } from "./_handler_common.ts";
import { contractOf, PERIOD_SUB, PERIODS, sourceOf } from "./_event_contracts_requests.ts";
import { klineItem, orderBookItem, tickerItem, tickerItemOf } from "./_event_contracts_wire.ts";
import type { EcContract } from "./event_contracts.ts";
import { latestBars, printsBetween } from "./event_contract_market.ts";
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

/** Levels of an order book push. */
const PUSH_LEVELS = 10;
/** Prints of a first ticker push. */
const FIRST_PRINTS = 10;
/** Most prints of a later ticker push (the ticker request's limit). */
const PUSH_PRINTS = 1000;

/** A pair registered for pushes, with what its last push carried. */
interface Registration {
  contract: EcContract;
  subType: number;
  /** Its first push is still to be sent (the tick leaves it alone until then). */
  pending: boolean;
  /** The clock at the last look: nothing changes while it stands still. */
  seenMs?: number;
  /** The order book or K-lines of the last push (JSON). */
  last?: string;
  /** Ticker: the prints up to this instant were pushed (or came before the registration). */
  printedMs?: number;
}

interface SessionState {
  /** K-line sources subscribed, by pair ("EC.X|K_DAY" → {0, 1}). */
  sources: Map<string, Set<number>>;
  /** Pairs with pushes registered. */
  pushes: Map<string, Registration>;
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
  if (!found) state.sessions.set(session.number, found = { sources: new Map(), pushes: new Map() });
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

/**
 * Sends a registered pair's data: all of it on the first push, what changed since the last one on a tick; the
 * baseline only records what there is (a registration without isFirstPush).
 */
function sendPush(
  session: SimSession,
  mine: SessionState,
  pair: string,
  registration: Registration,
  nowMs: number,
  mode: "first" | "tick" | "baseline",
): void {
  if (mode === "tick" && registration.seenMs === nowMs) return;
  registration.seenMs = nowMs;
  const { contract, subType } = registration;
  const changed = (data: unknown) => {
    const signature = JSON.stringify(data);
    if (mode === "tick" && signature === registration.last) return false;
    registration.last = signature;
    return mode !== "baseline";
  };
  if (subType === Qot_Common_SubType.OrderBook) {
    const item = orderBookItem(contract, nowMs, PUSH_LEVELS);
    if (changed(item)) session.push("Qot_UpdateEventContractOrderBook", { orderBookList: [item] });
  } else if (subType === Qot_Common_SubType.Ticker) {
    const after = registration.printedMs;
    registration.printedMs = nowMs;
    if (mode === "first") {
      session.push("Qot_UpdateEventContractTicker", { tickerList: [tickerItem(contract, nowMs, FIRST_PRINTS)] });
    } else if (mode === "tick" && after !== undefined) {
      const prints = printsBetween(contract, after, nowMs, PUSH_PRINTS);
      if (prints.length > 0) {
        session.push("Qot_UpdateEventContractTicker", { tickerList: [tickerItemOf(contract, prints)] });
      }
    }
  } else {
    const period = [...PERIODS.values()].find((p) => PERIOD_SUB[p] === subType)!;
    const sources = [...(mine.sources.get(pair) ?? [Qot_Common_EC_KlineSource.None])].sort((a, b) => a - b);
    const klineList = sources.map((source) => {
      const orderBook = source === Qot_Common_EC_KlineSource.OrderBookYes;
      const bars = latestBars(contract, period, nowMs, 1, Common_PredSide.Yes, orderBook);
      return klineItem(contract, period, bars, Common_PredSide.Yes, orderBook);
    });
    if (changed(klineList)) session.push("Qot_UpdateEventContractKline", { klineList });
  }
}

/** Registers a pair for pushes: its first push right after the reply, or its data now as the baseline. */
function register(
  ctx: SimContext,
  session: SimSession,
  mine: SessionState,
  contract: EcContract,
  subType: number,
  pair: string,
  firstPush: boolean,
) {
  const registration: Registration = { contract, subType, pending: firstPush };
  mine.pushes.set(pair, registration);
  if (!firstPush) {
    sendPush(session, mine, pair, registration, ctx.market.clock.now(), "baseline");
    return;
  }
  setTimeout(() => {
    if (session.closed || mine.pushes.get(pair) !== registration) return;
    registration.pending = false;
    sendPush(session, mine, pair, registration, ctx.market.clock.now(), "first");
  }, 0);
}

/**
 * The event contract hook of the server's push tick: pushes what changed of every pair a live connection
 * registered. A failing pair does not hold up the others; the failures are thrown together at the end.
 */
export function pushEventContracts(ctx: SimContext): void {
  if (!STATES.has(ctx.market)) return;
  const state = stateOf(ctx);
  const now = ctx.market.clock.now();
  const sessions = new Map([...ctx.sessions].map((s) => [s.number, s]));
  const errors: unknown[] = [];
  for (const [number, mine] of state.sessions) {
    const session = sessions.get(number);
    if (!session || session.closed) continue;
    for (const [pair, registration] of mine.pushes) {
      if (registration.pending) continue;
      try {
        sendPush(session, mine, pair, registration, now, "tick");
      } catch (err) {
        errors.push(err);
      }
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, `event contract pushes failed: ${errors.join("; ")}`);
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
        register(ctx, session, mine, contract, subType, pair, c2s.isFirstPush ?? true);
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
