/**
 * Screens and indicators through the gateway against the simulator over real
 * TCP: every protocol of the family round-tripped; stock screens whose rows
 * meet every bound with the snapshot's values and honest counts; warrant
 * screens agreeing with Qot_GetWarrant; option screens within their bounds
 * and agreeing with the snapshot's Greeks; the indicator list; indicator
 * calculations paired with their push and equal to values computed here
 * from the same K-lines; requests refused as OpenD refuses them; the same
 * seed giving the same replies.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim, US_MORNING } from "../helpers/sim.ts";
import { type Gateway, OpenDError, type Snapshot, toSecurity } from "../../src/gateway/mod.ts";
import { calculateIndicator, IndicatorCalcTimeoutError } from "../../src/gateway/indicator_calc.ts";
import type { OpenDClient } from "../../src/gateway/client.ts";
import type { C2S, S2C } from "../../src/gateway/proto/codec.ts";
import type {
  Qot_Common_KLine,
  Qot_StockScreen_RetrieveQuery,
  Qot_StockScreen_RspItemResult,
} from "../../src/gateway/proto/messages.ts";
import { SIM_SECURITIES } from "../../src/sim/catalog.ts";

const value = (r: Qot_StockScreen_RspItemResult) => {
  const v = Object.values(r).find((x) => x !== undefined) as { sval?: string; dval?: number };
  return v.sval ?? v.dval;
};

const HK_MARKET = { simpleFieldQuery: { simpleField: 1, screenValueList: ["1"] } };
const retrieveCore = [
  { basicProperty: { name: 1101 } },
  { simpleProperty: { name: 2201 } },
  { simpleProperty: { name: 2301 } },
  { cumulativeProperty: { name: 3102, days: 1 } },
];

function screenHk(gateway: Gateway, extra: Partial<C2S<"Qot_StockScreen">> = {}) {
  return gateway.insight.get("Qot_StockScreen", {
    filterList: [HK_MARKET, {
      simplePropertyQuery: { property: { name: 2301 }, filterMin: { value: 1.5e12, includes: true } },
    }],
    retrieveList: retrieveCore,
    sort: { direction: 2, simpleProperty: { name: 2301 } },
    ...extra,
  });
}

Deno.test("stock screen: rows meet every bound with the snapshot's values, counted and sorted honestly", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const s2c = await screenHk(gateway);
  const hkStocks = SIM_SECURITIES.filter((s) => s.market === "HK" && s.kind === "stock").map((s) => s.symbol);
  const snapshots = await gateway.quote.getSnapshot(hkStocks);
  const expected = snapshots.filter((s) => s.equity!.issuedMarketVal >= 1.5e12);
  assert(expected.length >= 2 && expected.length < hkStocks.length, "the bound splits the HK stocks");
  assertEquals(s2c.allCount, expected.length);
  assertEquals(s2c.lastPage, 1);
  const rows = s2c.dataList!.map((item) => item.results!.map(value));
  assertEquals(rows.map((r) => r[0]).sort(), expected.map((s) => s.symbol).sort());
  for (const [code, price, cap, changePct] of rows) {
    const snap = snapshots.find((s) => s.symbol === code)!;
    assertEquals(price, snap.curPrice, `${code} price`);
    assertEquals(cap, snap.equity!.issuedMarketVal, `${code} market cap`);
    assert((cap as number) >= 1.5e12);
    const change = Math.round((snap.curPrice - snap.lastClosePrice) / snap.lastClosePrice * 1e6) / 1e6;
    assertEquals(changePct, change, `${code} change rate`);
  }
  const caps = rows.map((r) => r[2] as number);
  assertEquals(caps, [...caps].sort((a, b) => b - a), "sorted by market cap, descending");
  // stockId is the static info's id.
  const info = await gateway.quote.getStaticInfo([rows[0][0] as string]);
  assertEquals(s2c.dataList![0].stockId, info[0].id);

  // Paging: pages of one row cover the same rows.
  const first = await screenHk(gateway, { pageCount: 1 });
  const second = await screenHk(gateway, { pageCount: 1, pageFrom: 1 });
  assertEquals(first.lastPage, 0);
  assertEquals(
    [first.dataList![0].stockId, second.dataList![0].stockId],
    s2c.dataList!.slice(0, 2).map((d) => d.stockId),
  );

  // A plate and a second market: only the plate's stocks; an exclusive bound excludes its value.
  const plate = await gateway.insight.get("Qot_StockScreen", {
    filterList: [{ plateQuery: { plateList: [{ plateIdList: ["BK1099"] }] } }],
    retrieveList: [{ basicProperty: { name: 1101 } }, { basicProperty: { name: 1103 } }, {
      financialProperty: { name: 4101 },
    }],
  });
  assertEquals(plate.dataList!.map((d) => value(d.results![0])), ["HK.00700", "HK.01810", "HK.03690", "HK.09988"]);
  const tencent = SIM_SECURITIES.find((s) => s.symbol === "HK.00700")!;
  assertEquals(value(plate.dataList![0].results![1]), "Internet & Software");
  assertEquals(value(plate.dataList![0].results![2]), tencent.sharesOutstanding! * tencent.eps!);
  const price = value(s2c.dataList![0].results![1]) as number;
  const exclusive = await screenHk(gateway, {
    filterList: [HK_MARKET, {
      simplePropertyQuery: { property: { name: 2201 }, filterMin: { value: price, includes: false } },
    }],
  });
  assert(exclusive.dataList!.every((d) => (value(d.results![1]) as number) > price));
  const us = await gateway.insight.get("Qot_StockScreen", {
    filterList: [{ simpleFieldQuery: { simpleField: 1, screenValueList: ["2"] } }],
    retrieveList: [{ basicProperty: { name: 1101 } }],
  });
  assertEquals(us.allCount, SIM_SECURITIES.filter((s) => s.market === "US" && s.kind === "stock").length);
});

/** The valuation, trading and annual properties, by tool name: the request's property and the snapshot's value. */
const SNAPSHOT_PROPERTIES: {
  name: string;
  retrieve: Qot_StockScreen_RetrieveQuery;
  of: (s: Snapshot) => number;
  /** Rounding of a ratio the snapshot has no field for. */
  within?: number;
}[] = [
  { name: "pe", retrieve: { simpleProperty: { name: 2302 } }, of: (s) => s.equity!.peRate },
  { name: "pe_ttm", retrieve: { simpleProperty: { name: 2303 } }, of: (s) => s.equity!.peTTMRate },
  { name: "pb", retrieve: { simpleProperty: { name: 2304 } }, of: (s) => s.equity!.pbRate },
  {
    name: "dividend_yield",
    retrieve: { simpleProperty: { name: 2305 } },
    of: (s) => (s.equity!.dividendRatioTTM ?? 0) / 100,
  },
  { name: "amplitude", retrieve: { cumulativeProperty: { name: 3103, days: 1 } }, of: (s) => s.amplitude! / 100 },
  { name: "avg_volume", retrieve: { cumulativeProperty: { name: 3104, days: 1 } }, of: (s) => s.volume },
  { name: "avg_turnover", retrieve: { cumulativeProperty: { name: 3105, days: 1 } }, of: (s) => s.turnover },
  { name: "turnover_rate", retrieve: { cumulativeProperty: { name: 3106, days: 1 } }, of: (s) => s.turnoverRate / 100 },
  {
    name: "roe",
    retrieve: { financialProperty: { name: 4110, term: 100 } },
    of: (s) => s.equity!.earningsPershare / s.equity!.netAssetPershare,
    within: 5e-7,
  },
  { name: "eps", retrieve: { financialProperty: { name: 4801, term: 100 } }, of: (s) => s.equity!.earningsPershare },
  {
    name: "float_market_cap",
    retrieve: { financialProperty: { name: 4903, term: 100 } },
    of: (s) => s.equity!.outstandingMarketVal,
  },
];

/** The query form of a retrieve entry's property. */
function queryOf(retrieve: Qot_StockScreen_RetrieveQuery, min: number) {
  const filterMin = { value: min, includes: true };
  if (retrieve.simpleProperty) return { simplePropertyQuery: { property: retrieve.simpleProperty, filterMin } };
  if (retrieve.cumulativeProperty) {
    return { cumulativePropertyQuery: { property: retrieve.cumulativeProperty, filterMin } };
  }
  return { financialPropertyQuery: { property: retrieve.financialProperty!, filterMin } };
}

Deno.test("stock screen: valuation, trading and annual properties equal the snapshot's, filter and sort on them", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const hkStocks = SIM_SECURITIES.filter((s) => s.market === "HK" && s.kind === "stock").map((s) => s.symbol);
  const snapshots = await gateway.quote.getSnapshot(hkStocks);
  const all = await gateway.insight.get("Qot_StockScreen", {
    filterList: [HK_MARKET],
    retrieveList: [{ basicProperty: { name: 1101 } }, ...SNAPSHOT_PROPERTIES.map((p) => p.retrieve)],
  });
  assertEquals(all.allCount, hkStocks.length);
  for (const item of all.dataList!) {
    const [code, ...values] = item.results!.map(value);
    const snap = snapshots.find((s) => s.symbol === code)!;
    SNAPSHOT_PROPERTIES.forEach((p, i) => {
      const expected = p.of(snap);
      assert(
        Math.abs((values[i] as number) - expected) <= (p.within ?? 1e-9 * Math.max(1, Math.abs(expected))),
        `${code} ${p.name}: ${values[i]} vs ${expected}`,
      );
    });
  }
  assert(snapshots.some((s) => s.equity!.dividendRatioTTM) && snapshots.some((s) => !s.equity!.dividendRatioTTM));

  // Each property: a bound at its median value keeps exactly the stocks at or above it, sorted descending.
  for (const p of SNAPSHOT_PROPERTIES) {
    const values = all.dataList!.map((d) =>
      [value(d.results![0]) as string, value(d.results![SNAPSHOT_PROPERTIES.indexOf(p) + 1]) as number] as const
    );
    const distinct = [...new Set(values.map(([, v]) => v))].sort((a, b) => a - b);
    const median = distinct[Math.floor(distinct.length / 2)];
    const expected = values.filter(([, v]) => v >= median).map(([code]) => code).sort();
    assert(expected.length > 0 && expected.length < values.length, `${p.name} splits the stocks at ${median}`);
    const screened = await gateway.insight.get("Qot_StockScreen", {
      filterList: [HK_MARKET, queryOf(p.retrieve, median)],
      retrieveList: [{ basicProperty: { name: 1101 } }, p.retrieve],
      sort: { direction: 2, ...p.retrieve },
    });
    const rows = screened.dataList!.map((d) => d.results!.map(value));
    assertEquals(screened.allCount, expected.length, p.name);
    assertEquals(rows.map((r) => r[0]).sort(), expected, p.name);
    const got = rows.map((r) => r[1] as number);
    assert(got.every((v) => v >= median), p.name);
    assertEquals(got, [...got].sort((a, b) => b - a), `${p.name} sorted descending`);
  }

  // Over five sessions: the daily bars' average volume and turnover, their summed turnover rate, their range.
  const symbol = "HK.00700";
  const tencent = SIM_SECURITIES.find((s) => s.symbol === symbol)!;
  const kl = await gateway.quote.requestHistoryKL(symbol, "K_DAY", {
    begin: "2026-10-01",
    end: "2026-11-26",
    rehab: "NONE",
  });
  const last5 = kl.klines.slice(-5);
  const five = await gateway.insight.get("Qot_StockScreen", {
    filterList: [{ plateQuery: { plateList: [{ plateIdList: ["BK1099"] }] } }],
    retrieveList: [
      { basicProperty: { name: 1101 } },
      { cumulativeProperty: { name: 3104, days: 5 } },
      { cumulativeProperty: { name: 3105, days: 5 } },
      { cumulativeProperty: { name: 3106, days: 5 } },
      { cumulativeProperty: { name: 3103, days: 5 } },
    ],
  });
  const [, avgVolume, avgTurnover, turnoverRate, amplitude] = five.dataList!.map((d) => d.results!.map(value))
    .find((r) => r[0] === symbol)!;
  const volume = last5.reduce((sum, k) => sum + k.volume!, 0);
  assertEquals(avgVolume, Math.round(volume / 5));
  assert(Math.abs((avgTurnover as number) - last5.reduce((sum, k) => sum + k.turnover!, 0) / 5) < 0.01);
  assert(Math.abs((turnoverRate as number) - volume / tencent.sharesOutstanding!) < 1e-5);
  const base = kl.klines.at(-6)!.close!;
  const range = Math.max(...last5.map((k) => k.high!)) - Math.min(...last5.map((k) => k.low!));
  assert(Math.abs((amplitude as number) - range / base) < 1e-5, `amplitude ${amplitude} vs ${range / base}`);
});

Deno.test("stock screen: unknown properties, unmodelled kinds, bad bounds and pages are refused by name", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const refused = async (c2s: C2S<"Qot_StockScreen">, text: string) => {
    const err = await assertRejects(() => gateway.insight.get("Qot_StockScreen", c2s), OpenDError);
    assert(err.message.includes(text), err.message);
  };
  await refused({ retrieveList: [{ simpleProperty: { name: 2999 } }] }, "2999");
  await refused({ retrieveList: [{ indicatorProperty: { name: 11, period: 11 } }] }, "indicator properties");
  await refused({ pageCount: 301 }, "pageCount");
  await refused({
    filterList: [{
      simplePropertyQuery: {
        property: { name: 2201 },
        filterMin: { value: 9, includes: true },
        filterMax: { value: 1, includes: true },
      },
    }],
  }, "filterMin 9 is above filterMax 1");
  await refused(
    { filterList: [{ simpleFieldQuery: { simpleField: 1, screenValueList: ["99"] } }] },
    "Unknown market 99",
  );
  await refused({ filterList: [{ cumulativePropertyQuery: { property: { name: 3102, days: 400 } } }] }, "days");
  await refused({ retrieveList: [{ financialProperty: { name: 4101, term: 1 } }] }, "term 1");
});

Deno.test("warrant screen: filters by underlying and type, values as Qot_GetWarrant reports them", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const s2c = await gateway.insight.get("Qot_WarrantScreen", {
    marketType: 1,
    filterList: [
      { fieldId: 5, choices: [{ contentType: 2, text: "HK.00700" }] },
      { fieldId: 6, choices: [{ contentType: 1, value: "1" }, { contentType: 1, value: "3" }] },
    ],
    sortList: [{ sortFieldId: 8, direction: 0 }],
    pageCount: 50,
  });
  const expected = SIM_SECURITIES.filter((s) =>
    s.kind === "warrant" && s.underlying === "HK.00700" && (s.warrantType === "CALL" || s.warrantType === "BULL")
  );
  assertEquals(s2c.allCount, expected.length);
  assertEquals(s2c.warrants!.map((w) => `HK.${w.security!.code}`).sort(), expected.map((s) => s.symbol).sort());
  const prices = s2c.warrants!.map((w) => w.currentPrice!);
  assertEquals(prices, [...prices].sort((a, b) => a - b));
  const classic = await gateway.derivatives.getWarrants({
    owner: "HK.00700",
    sortBy: "CODE",
    ascending: true,
    offset: 0,
    count: 200,
  });
  for (const w of s2c.warrants!) {
    assertEquals(w.ownerSecurity!.code, "00700");
    const c = classic.warrants.find((x) => x.symbol === `HK.${w.security!.code}`)!;
    assertEquals(
      [w.currentPrice, w.premium, w.leverage, w.effectiveLeverage, w.streetRate, w.score, w.ipop, w.strikePrice],
      [c.price, c.premium, c.leverage, c.effectiveLeverage, c.streetRate, c.score, c.inOutMoney, c.strike],
      w.security!.code,
    );
  }
  const count = await gateway.insight.get("Qot_WarrantScreen", { onlyCount: true });
  assertEquals(count.allCount, SIM_SECURITIES.filter((s) => s.kind === "warrant").length);
  assertEquals(count.warrants ?? [], []);
  const err = await assertRejects(
    () => gateway.insight.get("Qot_WarrantScreen", { filterList: [{ fieldId: 99, choices: [] }] }),
    OpenDError,
  );
  assert(err.message.includes("fieldId 99"), err.message);
  const market = await assertRejects(() => gateway.insight.get("Qot_WarrantScreen", { marketType: 2 }), OpenDError);
  assert(market.message.includes("marketType 2"), market.message);
});

Deno.test("option screen: contracts within their bounds, Greeks as the snapshot reports them", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const [aapl] = await gateway.quote.getStaticInfo(["US.AAPL"]);
  const s2c = await gateway.insight.get("Qot_OptionScreen", {
    marketCategoryList: [0],
    filterList: [
      { underlyingList: [{ indicatorType: 101, indicatorValue: { valueList: [aapl.id] } }] },
      {
        optionList: [{
          indicatorType: 3004,
          indicatorValue: {
            valueInterval: { filterMin: { value: 0.3, includes: true }, filterMax: { value: 0.5, includes: true } },
          },
        }],
      },
      { optionList: [{ indicatorType: 1003, indicatorValue: { valueList: ["1"] } }] },
    ],
    sortList: [{ indicatorType: 3004, direction: 1 }],
    pageCount: 1000,
    optionRetrieveList: [1001, 1003, 3001, 3004, 2013],
  });
  assert(s2c.allCount > 3, `${s2c.allCount} matches`);
  assertEquals(s2c.dataList!.length, s2c.allCount);
  for (const item of s2c.dataList!) {
    assert(item.security!.code.startsWith("AAPL") && item.optionType === 1, item.security!.code);
    assert(item.delta! >= 0.3 && item.delta! <= 0.5, `${item.security!.code} delta ${item.delta}`);
    assertEquals(item.underlyingInfo!.stockID, aapl.id);
  }
  const deltas = s2c.dataList!.map((d) => d.delta!);
  assertEquals(deltas, [...deltas].sort((a, b) => b - a));
  const first = s2c.dataList![0];
  const [snap] = await gateway.quote.getSnapshot([`US.${first.security!.code}`]);
  assertEquals([first.delta, first.impliedVolatility, Number(first.openInterest)], [
    snap.option!.delta,
    snap.option!.impliedVolatility,
    snap.option!.openInterest,
  ]);
  // No simulated index options: an honest empty answer.
  const index = await gateway.insight.get("Qot_OptionScreen", { marketCategoryList: [1] });
  assertEquals([index.allCount, index.dataList ?? []], [0, []]);
  const refused = async (c2s: C2S<"Qot_OptionScreen">, text: string) => {
    const err = await assertRejects(() => gateway.insight.get("Qot_OptionScreen", c2s), OpenDError);
    assert(err.message.includes(text), err.message);
  };
  await refused({ marketCategoryList: [] }, "marketCategoryList");
  await refused({ marketCategoryList: [0], sortList: [{ indicatorType: 3023, direction: 0 }] }, "deprecated");
  await refused(
    {
      marketCategoryList: [0],
      filterList: [{ optionList: [{ indicatorType: 2021, indicatorValue: { valueList: ["1"] } }] }],
    },
    "not filter",
  );
  await refused({ marketCategoryList: [0], optionRetrieveList: [3013] }, "BuyProfitProbability");
});

Deno.test("indicator list: the built-in set with inputs and outputs, searched, scripts on exact search", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const all = await gateway.insight.get("Qot_GetIndicatorList", {});
  assertEquals(all.indicatorList!.map((e) => e.myLang!.shortName), ["MA", "EMA", "MACD", "RSI", "BOLL", "KDJ"]);
  const macd = all.indicatorList!.find((e) => e.myLang!.shortName === "MACD")!;
  assertEquals(macd.myLang!.outputs!.map((o) => o.name), ["DIF", "DEA", "MACD"]);
  assertEquals(macd.myLang!.inputs!.map((i) => [i.varName, i.value!.intValue]), [["SHORT", "12"], ["LONG", "26"], [
    "M",
    "9",
  ]]);
  assertEquals(macd.python!.inputs!.map((i) => i.varName), [undefined, undefined, undefined]);
  assertEquals(macd.myLang!.script, undefined);
  const partial = await gateway.insight.get("Qot_GetIndicatorList", { searchKey: "average", langType: 2 });
  assertEquals(partial.indicatorList!.map((e) => [e.python?.shortName, e.myLang]), [
    ["MA", undefined],
    ["EMA", undefined],
    ["MACD", undefined],
  ]);
  const exact = await gateway.insight.get("Qot_GetIndicatorList", { searchKey: "rsi", searchMode: 1 });
  assertEquals(exact.indicatorList!.length, 1);
  assert(exact.indicatorList![0].myLang!.script!.includes("RSI"), "the MyLang source");
  const err = await assertRejects(() => gateway.insight.get("Qot_GetIndicatorList", { langType: 7 }), OpenDError);
  assert(err.message.includes("langType 7"), err.message);
});

// Indicators computed here, independently of the simulator.
const sma = (xs: number[], n: number) =>
  xs.map((_, i) => i < n - 1 ? NaN : xs.slice(i - n + 1, i + 1).reduce((a, b) => a + b) / n);
const emaOf = (xs: number[], n: number) => {
  const k = 2 / (n + 1);
  const out = [xs[0]];
  for (let i = 1; i < xs.length; i++) out.push(k * xs[i] + (1 - k) * out[i - 1]);
  return out;
};
function wilderRsi(xs: number[], n: number): number[] {
  const out = xs.map(() => NaN);
  const changes = xs.slice(1).map((x, i) => x - xs[i]);
  let g = changes.slice(0, n).filter((c) => c > 0).reduce((a, b) => a + b, 0) / n;
  let l = -changes.slice(0, n).filter((c) => c < 0).reduce((a, b) => a + b, 0) / n;
  out[n] = 100 - 100 / (1 + g / l);
  for (let i = n + 1; i < xs.length; i++) {
    const c = changes[i - 1];
    g = (g * (n - 1) + Math.max(c, 0)) / n;
    l = (l * (n - 1) + Math.max(-c, 0)) / n;
    out[i] = 100 - 100 / (1 + g / l);
  }
  return out;
}

function assertSeries(actual: number[], expected: number[], what: string): void {
  assertEquals(actual.length, expected.length, `${what} length`);
  actual.forEach((v, i) => {
    if (Number.isNaN(expected[i])) assert(Number.isNaN(v), `${what}[${i}] = ${v}, expected no value`);
    else assert(Math.abs(v - expected[i]) < 1e-9, `${what}[${i}] = ${v}, expected ${expected[i]}`);
  });
}

Deno.test("indicator calculation: the push pairs with the reply's calcId and holds values computed from the request's K-lines", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const series = await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", { begin: "2026-05-01", end: "2026-11-25" });
  const kLine: Qot_Common_KLine[] = series.klines.map((k) => ({
    time: k.time,
    isBlank: false,
    highPrice: k.high,
    lowPrice: k.low,
    closePrice: k.close,
  }));
  assert(kLine.length > 100, `${kLine.length} K-lines`);
  const closes = kLine.map((k) => k.closePrice!);
  const data = { security: toSecurity("US.AAPL"), klType: 2, kLine };
  const calc = (shortName: string, inputs?: { index: number; value: string }[]) =>
    calculateIndicator(gateway.client, { shortName, langType: 1, data, inputs });
  const column = (s2c: S2C<"Qot_PushIndicatorCalc">, i: number) => s2c.outputRows!.map((r) => r.values![i]);

  // The raw exchange: a reply with a calcId, then the push with it.
  const pushes: S2C<"Qot_PushIndicatorCalc">[] = [];
  const off = gateway.client.onPush("Qot_PushIndicatorCalc", (s2c) => pushes.push(s2c));
  const ma = await calc("MA");
  off();
  assertEquals(pushes.map((p) => p.calcId), [ma.calcId]);
  assertEquals(ma.outputRows!.map((r) => r.time), kLine.map((k) => k.time));
  assertSeries(column(ma, 0), sma(closes, 5), "MA(5)");
  assertSeries(column(await calc("ma", [{ index: 0, value: "10" }]), 0), sma(closes, 10), "MA(10)");
  assertSeries(column(await calc("EMA"), 0), emaOf(closes, 12), "EMA(12)");
  assertSeries(column(await calc("RSI"), 0), wilderRsi(closes, 14), "RSI(14)");
  const macd = await calc("MACD");
  const dif = emaOf(closes, 12).map((v, i) => v - emaOf(closes, 26)[i]);
  const dea = emaOf(dif, 9);
  assertEquals(macd.outputs!.map((o) => o.name), ["DIF", "DEA", "MACD"]);
  assertSeries(column(macd, 0), dif, "DIF");
  assertSeries(column(macd, 1), dea, "DEA");
  assertSeries(column(macd, 2), dif.map((v, i) => 2 * (v - dea[i])), "MACD");
  const boll = await calc("BOLL");
  const mid = sma(closes, 20);
  const sd = closes.map((_, i) =>
    i < 19 ? NaN : Math.sqrt(closes.slice(i - 19, i + 1).reduce((a, c) => a + (c - mid[i]) ** 2, 0) / 20)
  );
  assertSeries(column(boll, 0), mid, "BOLL MID");
  assertSeries(column(boll, 1), mid.map((m, i) => m + 2 * sd[i]), "BOLL UPPER");
  assertSeries(column(boll, 2), mid.map((m, i) => m - 2 * sd[i]), "BOLL LOWER");
  const kdj = await calc("KDJ");
  let k = 50;
  let d = 50;
  const ks: number[] = [];
  kLine.forEach((_, i) => {
    if (i < 8) return ks.push(NaN);
    const w = kLine.slice(i - 8, i + 1);
    const hi = Math.max(...w.map((x) => x.highPrice!));
    const lo = Math.min(...w.map((x) => x.lowPrice!));
    k = (2 * k + (closes[i] - lo) / (hi - lo) * 100) / 3;
    d = (2 * d + k) / 3;
    ks.push(k);
  });
  assertSeries(column(kdj, 0), ks, "K");
  assert(Math.abs(column(kdj, 2).at(-1)! - (3 * k - 2 * d)) < 1e-9, "J = 3K − 2D");
  // num takes the first N K-lines.
  const short = await calculateIndicator(gateway.client, { shortName: "MA", langType: 2, data, num: 7 });
  assertEquals(short.outputRows!.length, 7);

  const refused = async (c2s: C2S<"Qot_RequestIndicatorCalc">, text: string) => {
    const err = await assertRejects(() => calculateIndicator(gateway.client, c2s), OpenDError);
    assert(err.message.includes(text), err.message);
  };
  await refused({ shortName: "VWAPX", langType: 1, data }, 'Unknown indicator "VWAPX"');
  await refused({ shortName: "MA", langType: 0, data }, "langType");
  await refused({ shortName: "MA", langType: 1, data, inputs: [{ index: 3, value: "5" }] }, "inputs index 3");
  await refused({ shortName: "MA", langType: 1, data, inputs: [{ index: 0, value: "2.5" }] }, "whole number");
  await refused({ shortName: "MA", langType: 1, data: { ...data, kLine: [] } }, "kLine is empty");
  await refused({ shortName: "MA", langType: 1, data: { ...data, kLine: [kLine[1], kLine[0]] } }, "is not after");
  await refused({ shortName: "MA", langType: 1, data: { ...data, security: toSecurity("US.NOPE") } }, "NOPE");
});

/** A client that answers the request and pushes as told: for the pairing and timeout rules. */
function fakeClient(plan: { pushBefore?: string[]; pushAfter?: string[] }): OpenDClient {
  let handler: ((s2c: S2C<"Qot_PushIndicatorCalc">) => void) | undefined;
  const push = (calcId: string) => handler?.({ calcId, outputs: [{ index: 0, name: calcId }], outputRows: [] });
  return {
    onPush: (_protocol: string, h: typeof handler) => {
      handler = h;
      return () => handler = undefined;
    },
    request: () => {
      for (const id of plan.pushBefore ?? []) push(id);
      queueMicrotask(() => (plan.pushAfter ?? []).forEach(push));
      return Promise.resolve({ calcId: "mine" });
    },
  } as unknown as OpenDClient;
}

Deno.test("indicator calculation: pushes of other calcIds are ignored, an early push is kept, a missing one times out naming it", async () => {
  const c2s = { shortName: "MA", langType: 1, data: { security: toSecurity("US.AAPL"), klType: 2, kLine: [] } };
  const early = await calculateIndicator(fakeClient({ pushBefore: ["other", "mine"] }), c2s);
  assertEquals(early.outputs![0].name, "mine");
  const late = await calculateIndicator(fakeClient({ pushAfter: ["other", "mine"] }), c2s);
  assertEquals(late.outputs![0].name, "mine");
  const err = await assertRejects(
    () => calculateIndicator(fakeClient({ pushAfter: ["other"] }), c2s, { timeoutMs: 30 }),
    IndicatorCalcTimeoutError,
  );
  assert(err.message.includes("mine") && err.message.includes("Qot_PushIndicatorCalc"), err.message);
});

Deno.test("screens and indicators: the same seed gives the same replies", async () => {
  const replies = async () => {
    await using sim = await startSim({ seed: 7 });
    await using gateway = await connect(sim);
    const kLine =
      (await gateway.quote.requestHistoryKL("HK.00700", "K_DAY", { begin: "2026-09-01", end: "2026-11-25" }))
        .klines.map((k) => ({ time: k.time, isBlank: false, highPrice: k.high, lowPrice: k.low, closePrice: k.close }));
    const calc = await calculateIndicator(gateway.client, {
      shortName: "KDJ",
      langType: 1,
      data: { security: toSecurity("HK.00700"), klType: 2, kLine },
    });
    return {
      stocks: await screenHk(gateway),
      warrants: await gateway.insight.get("Qot_WarrantScreen", { pageCount: 30 }),
      options: await gateway.insight.get("Qot_OptionScreen", { marketCategoryList: [3], pageCount: 30 }),
      list: await gateway.insight.get("Qot_GetIndicatorList", {}),
      calc: { outputs: calc.outputs, rows: calc.outputRows },
    };
  };
  const a = await replies();
  assert(a.options.allCount > 0 && (a.warrants.allCount ?? 0) > 0);
  assertEquals(JSON.stringify(await replies()), JSON.stringify(a));
});
