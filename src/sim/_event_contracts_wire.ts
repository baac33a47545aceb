/**
 * The simulated event contracts in their wire form (private to src/sim): the
 * series, event, contract, milestone, snapshot, order book, ticker and
 * K-line messages of `event_contracts.ts` and `event_contract_market.ts`.
 * Times follow the proto comments: event start/end and trade times in US
 * Eastern "yyyy-MM-dd HH:mm:ss", contract and milestone times in UTC ISO 8601.
 *
 * @module
 */
import {
  Common_PredSide,
  Qot_Common_EC_ContractType,
  Qot_Common_EC_Status,
  Qot_Common_QotMarket,
  type Qot_Common_Security,
  type Qot_GetEventContract_ContractItem,
  type Qot_GetEventContractEventList_EventItem,
  type Qot_GetEventContractKline_KlineItem,
  type Qot_GetEventContractMilestoneList_MilestoneItem,
  type Qot_GetEventContractOrderBook_OrderBookItem,
  type Qot_GetEventContractSeriesList_SeriesItem,
  type Qot_GetEventContractSnapshot_SnapshotItem,
  type Qot_GetEventContractTicker_TickerItem,
} from "../gateway/proto/messages.ts";
import { unit } from "./_event_contracts_math.ts";
import {
  contractStatus,
  type EcContract,
  type EcEvent,
  type EcSeries,
  etText,
  eventStatus,
  latent,
  milestoneCode,
  resultOf,
  SETTLE_DELAY_MS,
  utcIso,
} from "./event_contracts.ts";
import {
  barKey,
  bookAt,
  dollars,
  type EcBar,
  type EcPeriod,
  type EcPrint,
  latestPrints,
  quoteAt,
  volumeBefore,
} from "./event_contract_market.ts";

const DAY = 86_400_000;

/** The wire security of an event contract code. */
export function ecSecurity(code: string): Qot_Common_Security {
  return { market: Qot_Common_QotMarket.EventContract, code };
}

/** A series item. */
export function seriesItem(series: EcSeries): Qot_GetEventContractSeriesList_SeriesItem {
  return {
    seriesSecurity: ecSecurity(series.code),
    seriesName: series.name,
    category: series.category,
    tags: [...series.tags],
    frequency: series.frequency,
  };
}

/** An event item. */
export function eventItem(event: EcEvent, nowMs: number): Qot_GetEventContractEventList_EventItem {
  const series = event.series;
  return {
    eventSecurity: ecSecurity(event.code),
    eventName: event.name,
    eventSubName: event.subName,
    status: eventStatus(event, nowMs),
    seriesSecurity: ecSecurity(series.code),
    startDate: etText(event.openMs),
    endDate: etText(event.closeMs),
    category: series.category,
    tags: [...series.tags],
    mutuallyExclusive: event.mutuallyExclusive,
    competition: series.competition,
    competitionScope: series.scope,
  };
}

/** A contract item: determination, result and expiration value from the close on; settlement an hour later. */
export function contractItem(contract: EcContract, nowMs: number): Qot_GetEventContract_ContractItem {
  const { event } = contract;
  const result = resultOf(contract, nowMs);
  const settled = nowMs >= event.closeMs + SETTLE_DELAY_MS;
  return {
    contractSecurity: ecSecurity(contract.code),
    eventSecurity: ecSecurity(event.code),
    seriesSecurity: ecSecurity(event.series.code),
    contractType: Qot_Common_EC_ContractType.Binary,
    title: contract.title,
    yesSubTitle: contract.outcome.label,
    openTime: utcIso(event.openMs),
    closeTime: utcIso(event.closeMs),
    determinationTime: result ? utcIso(event.closeMs) : undefined,
    settledTime: settled ? utcIso(event.closeMs + SETTLE_DELAY_MS) : undefined,
    latestExpirationTime: utcIso(event.closeMs + 7 * DAY),
    status: contractStatus(contract, nowMs),
    result,
    settlementValue: settled ? (result === "yes" ? "1.00" : "0.00") : undefined,
    expirationValue: result ? event.format(latent(event, event.closeMs)) : undefined,
    volume: String(volumeBefore(contract, Infinity, nowMs)),
    canCloseEarly: event.series.canCloseEarly,
    tickSize: "0.01",
    category: event.series.category,
    tag: event.series.tags[0],
  };
}

/** Open interest: a contract-specific share of the volume while it trades, none once settled. */
function openInterest(contract: EcContract, nowMs: number, volume: number): number {
  if (contractStatus(contract, nowMs) === Qot_Common_EC_Status.Settled) return 0;
  return Math.floor(volume * (0.25 + 0.2 * unit(contract.key, 12)));
}

/** A snapshot: the quote of the current minute (while trading), the last print, the volumes. */
export function snapshotItem(contract: EcContract, nowMs: number): Qot_GetEventContractSnapshot_SnapshotItem {
  const quote = quoteAt(contract, nowMs);
  const [last] = latestPrints(contract, nowMs, 1);
  const volume = volumeBefore(contract, Infinity, nowMs);
  return {
    code: ecSecurity(contract.code),
    name: contract.title,
    event_code: ecSecurity(contract.event.code),
    yes_sub_title: contract.outcome.label,
    no_sub_title: contract.outcome.label,
    status: contractStatus(contract, nowMs),
    price: last ? dollars(last.yes) : undefined,
    cumulative_volume: volume,
    yes_bid: quote ? dollars(quote.bid) : undefined,
    yes_bid_size: quote?.bidSize,
    yes_ask: quote ? dollars(quote.ask) : undefined,
    yes_ask_size: quote?.askSize,
    no_bid: quote ? dollars(100 - quote.ask) : undefined,
    no_bid_size: quote?.askSize,
    no_ask: quote ? dollars(100 - quote.bid) : undefined,
    no_ask_size: quote?.bidSize,
    last_trade_time: last ? etText(last.ms) : undefined,
    volume_24h: volume - volumeBefore(contract, nowMs - DAY + 1, nowMs),
    open_interest: openInterest(contract, nowMs, volume),
  };
}

/** An order book item: the NO side mirrors the YES side (a YES ask is a NO bid at 1 − price). */
export function orderBookItem(
  contract: EcContract,
  nowMs: number,
  levels: number,
): Qot_GetEventContractOrderBook_OrderBookItem {
  const { bids, asks } = bookAt(contract, nowMs, levels);
  return {
    code: ecSecurity(contract.code),
    yesBids: bids.map((l) => ({ price: dollars(l.price), size: l.size })),
    yesAsks: asks.map((l) => ({ price: dollars(l.price), size: l.size })),
    noBids: asks.map((l) => ({ price: dollars(100 - l.price), size: l.size })),
    noAsks: bids.map((l) => ({ price: dollars(100 - l.price), size: l.size })),
  };
}

/** A ticker item: the latest `count` prints, oldest first. */
export function tickerItem(contract: EcContract, nowMs: number, count: number): Qot_GetEventContractTicker_TickerItem {
  return tickerItemOf(contract, latestPrints(contract, nowMs, count));
}

/** A ticker item of the given prints. */
export function tickerItemOf(contract: EcContract, prints: readonly EcPrint[]): Qot_GetEventContractTicker_TickerItem {
  return {
    code: ecSecurity(contract.code),
    tickerList: prints.map((p) => ({
      time: etText(p.ms),
      yesPrice: dollars(p.yes),
      noPrice: dollars(100 - p.yes),
      volume: p.volume,
      side: p.side,
      sequence: String(p.sequence),
    })),
  };
}

/** A K-line item. */
export function klineItem(
  contract: EcContract,
  period: EcPeriod,
  bars: readonly EcBar[],
  side: number,
  orderBook: boolean,
): Qot_GetEventContractKline_KlineItem {
  return {
    code: ecSecurity(contract.code),
    pre_side: orderBook ? Common_PredSide.Yes : side,
    name: contract.title,
    klineList: bars.map((b) => ({
      time_key: barKey(period, b),
      open: dollars(b.open),
      high: dollars(b.high),
      low: dollars(b.low),
      close: dollars(b.close),
      volume: b.volume,
    })),
  };
}

/** A game's milestone: kickoff to the close, the game event first among its related events. */
export function milestoneItem(
  game: EcEvent,
  related: readonly EcEvent[],
  nowMs: number,
): Qot_GetEventContractMilestoneList_MilestoneItem {
  const start = game.startMs ?? game.openMs;
  const message = nowMs < start
    ? `Kickoff ${etText(start)} ET`
    : nowMs < game.closeMs
    ? "The game is in progress."
    : `Final: ${game.format(latent(game, game.closeMs))}`;
  return {
    milestoneSecurity: ecSecurity(milestoneCode(game)),
    title: game.name,
    category: game.series.category,
    type: game.series.milestoneType,
    startDate: utcIso(start),
    endDate: utcIso(game.closeMs),
    primaryEventSecurity: ecSecurity(game.code),
    relatedEventList: [game, ...related].map((e) => ecSecurity(e.code)),
    notificationMessage: message,
  };
}
