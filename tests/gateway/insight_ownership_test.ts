/**
 * The ownership protocols through the Gateway against the simulator over
 * TCP: every protocol round-tripped; shareholder overviews that add up from
 * the holder lists, holdings within the shares outstanding and in step with
 * the classic holder filings, insider trades priced inside the day's candle,
 * institutions whose list, profile, industries and holdings agree with each
 * other and with the shareholder lists, ARK trades that agree across the
 * three ARK protocols and the candles, short volume within the day's volume,
 * brokers within the day's turnover; bad requests refused; same seed, same
 * replies.
 */
import { assert, assertEquals, assertRejects } from "../helpers/assert.ts";
import { connect, startSim, US_MORNING } from "../helpers/sim.ts";
import { type Gateway, OpenDError } from "../../src/gateway/mod.ts";
import { toSecurity } from "../../src/gateway/symbols.ts";
import { HK_BROKERS, securityBySymbol } from "../../src/sim/catalog.ts";
import { HOLDER_TYPE_TEXT } from "../../src/sim/ownership.ts";

const near = (a: number, b: number, tolerance: number, what: string) =>
  assert(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b} (±${tolerance})`);
const AAPL = toSecurity("US.AAPL");
const TENCENT = toSecurity("HK.00700");
const US = 11;

/** The as-traded daily candle of a day. */
async function candle(gateway: Gateway, symbol: string, day: string) {
  const series = await gateway.quote.requestHistoryKL(symbol, "K_DAY", { begin: day, end: day, rehab: "NONE" });
  assertEquals(series.klines.length, 1, `one candle of ${symbol} on ${day}`);
  return series.klines[0];
}

function refused(promise: () => Promise<unknown>, includes: string) {
  return assertRejects(promise, OpenDError, includes);
}

Deno.test("shareholders: the overview adds up from the holder lists; changes, history and institutions agree", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const shares = securityBySymbol("US.AAPL")!.sharesOutstanding!;

  const overview = await g.get("Qot_GetShareholdersOverview", { security: AAPL });
  const periods = overview.holdingPeriodList!;
  assertEquals(periods.length, 8);
  assertEquals(periods[0].periodText, "2026/Q3");
  const top = overview.mainHolderInfoList![0].itemList!;
  assertEquals(overview.mainHolderInfoList![0].staticDateStr, "2026-09-30");
  assert(top.length > 0 && top.length <= 10);
  for (let i = 1; i < top.length; i++) assert(top[i - 1].holderPct! >= top[i].holderPct!, "top holders by size");

  const detail = await g.get("Qot_GetShareholdersHolderDetail", { security: AAPL, num: 50 });
  assertEquals(detail.nextKey, "-1");
  const rows = detail.itemList!;
  for (const row of rows) {
    const quantity = Number(row.holderQuantity);
    assert(quantity >= 0 && quantity <= shares, `${row.name} within the shares outstanding`);
    near(row.holderPct!, quantity / shares * 100, 0.00006, `${row.name} pct`);
    assertEquals(row.periodText, "2026/Q3");
  }
  for (const holder of top) {
    const row = rows.find((r) => r.holderId === String(holder.holderId))!;
    assertEquals(row.holderPct, holder.holderPct, `${holder.name} in the detail list`);
  }
  // Every holder-type group is the sum of the holders of that type; with the rest they make 100 %.
  const groups = overview.holderTypeInfoList![0].itemList!;
  near(groups.reduce((s, i) => s + i.holderPct!, 0), 100, 0.001, "groups add up to 100 %");
  const held = rows.filter((r) => Number(r.holderQuantity) > 0);
  near(
    groups.find((i) => i.name === "Public and Other")!.holderPct!,
    100 - held.reduce((s, r) => s + Number(r.holderQuantity), 0) / shares * 100,
    0.0001,
    "the rest",
  );
  for (const [typeId, text] of Object.entries(HOLDER_TYPE_TEXT)) {
    const ofType = await g.get("Qot_GetShareholdersHolderDetail", {
      security: AAPL,
      num: 50,
      requestType: Number(typeId),
    });
    const sum = ofType.itemList!.reduce((s, r) => s + Number(r.holderQuantity), 0);
    const group = groups.find((i) => i.name === text);
    if (sum === 0) assert(!group, `no ${text} group`);
    else near(group!.holderPct!, sum / shares * 100, 0.00006, `${text} group`);
  }
  // The holding date's close is the candle's (as traded).
  const close = await candle(gateway, "US.AAPL", "2026-09-30");
  assertEquals(rows[0].closePrice, close.close);

  // One holder's history: the latest entry is the overview's, changes chain quarter to quarter.
  const history = await g.get("Qot_GetShareholdersHolderDetail", {
    security: AAPL,
    holderId: top[0].holderId,
    num: 50,
  });
  const entries = history.itemList!;
  assert(entries.length > 4);
  assertEquals(entries[0].holderPct, top[0].holderPct);
  for (let i = 0; i + 1 < entries.length; i++) {
    assertEquals(
      Number(entries[i].holderQuantity) - Number(entries[i].holderQuantityChange),
      Number(entries[i + 1].holderQuantity),
      `${entries[i].periodText} change`,
    );
  }
  // An earlier quarter by its id: the same as in the history.
  const older = await g.get("Qot_GetShareholdersHolderDetail", {
    security: AAPL,
    holderId: top[0].holderId,
    periodId: periods[2].periodId,
  });
  assertEquals(older.itemList, [entries.find((e) => e.periodText === periods[2].periodText)!]);

  // Major holders' quarterly shares are those of their latest classic filing for the quarter.
  const filings = await gateway.research.getHoldingChanges("US.AAPL", "INSTITUTE", { end: "2026-11-19" });
  let compared = 0;
  for (const row of held) {
    const latest = filings.find((f) => f.holder === row.name);
    if (!latest) continue;
    assertEquals(latest.holdingQty, Number(row.holderQuantity), `${row.name} as filed`);
    compared++;
  }
  assert(compared >= 3, `compared ${compared} institutions with their filings`);

  // Changes: each holder's latest change, sorted by change, consistent with its history.
  const changes = await g.get("Qot_GetShareholdersHoldingChanges", { security: AAPL, num: 50 });
  const items = changes.itemList!;
  assert(items.length > 5);
  for (let i = 1; i < items.length; i++) assert(Number(items[i - 1].shareChangeNum) >= Number(items[i].shareChangeNum));
  for (const item of items.slice(0, 3)) {
    const h = await g.get("Qot_GetShareholdersHolderDetail", { security: AAPL, holderId: item.holderId, num: 50 });
    const entry = h.itemList!.find((e) => e.periodText === item.periodText)!;
    assertEquals(entry.holderQuantity, item.holderQuantity);
    assertEquals(entry.holderQuantityChange, item.shareChangeNum);
    assertEquals(item.holderTypeId! > 0 && HOLDER_TYPE_TEXT[item.holderTypeId!], item.holderType);
  }
  let filteredCount = 0;
  for (
    const [filterType, check] of [
      [3, (i: (typeof items)[number]) => i.holderQuantity === i.shareChangeNum],
      [4, (i: (typeof items)[number]) => i.holderQuantity === "0" && i.holderPct === 0],
      [1, (i: (typeof items)[number]) => Number(i.shareChangeNum) > 0 && i.holderQuantity !== i.shareChangeNum],
    ] as const
  ) {
    const filtered = await g.get("Qot_GetShareholdersHoldingChanges", { security: AAPL, num: 50, filterType });
    for (const item of filtered.itemList!) assert(check(item), `filter ${filterType}: ${JSON.stringify(item)}`);
    filteredCount += filtered.itemList!.length;
  }
  assert(filteredCount > 0 && filteredCount < items.length, "the filters pick some of the changes");
  const entered = items.filter((i) => i.holderQuantity === i.shareChangeNum || i.holderQuantity === "0");
  assert(entered.length > 0, "some holders entered or left within the listed quarters");
  const byDate = await g.get("Qot_GetShareholdersHoldingChanges", {
    security: AAPL,
    num: 50,
    sortColumn: 63,
    sortType: 2,
  });
  const dates = byDate.itemList!.map((i) => Number(i.holdingDate));
  assertEquals(dates, [...dates].sort((a, b) => a - b), "ascending by holding date");
  const firstPage = await g.get("Qot_GetShareholdersHoldingChanges", { security: AAPL, num: 2 });
  const secondPage = await g.get("Qot_GetShareholdersHoldingChanges", {
    security: AAPL,
    num: 2,
    nextKey: firstPage.nextKey,
  });
  assertEquals([...firstPage.itemList!, ...secondPage.itemList!], items.slice(0, 4), "pages continue");

  // Institutional totals are the detail list's institutions.
  const institutional = await g.get("Qot_GetShareholdersInstitutional", { security: AAPL, num: 3 });
  const latest = institutional.itemList![0];
  const insiders = await g.get("Qot_GetShareholdersHolderDetail", { security: AAPL, requestType: 100, num: 50 });
  const insiderShares = insiders.itemList!.reduce((s, r) => s + Number(r.holderQuantity), 0);
  const allShares = held.reduce((s, r) => s + Number(r.holderQuantity), 0);
  assertEquals(Number(latest.holderQuantity), allShares - insiderShares);
  assertEquals(
    Number(latest.institutionQuantity),
    held.length - insiders.itemList!.filter((r) => r.holderQuantity !== "0").length,
  );
  assertEquals(
    Number(latest.holderQuantity) - Number(latest.holderQuantityChange),
    Number(institutional.itemList![1].holderQuantity),
  );
  assertEquals(institutional.nextKey, "3");

  // Refused: unknown period and holder, page sizes and enums out of range, not a stock.
  await refused(() => g.get("Qot_GetShareholdersOverview", { security: AAPL, periodId: 20301 }), "periodId");
  await refused(() => g.get("Qot_GetShareholdersHolderDetail", { security: AAPL, holderId: 1 }), "holderId");
  await refused(() => g.get("Qot_GetShareholdersHoldingChanges", { security: AAPL, num: 51 }), "num");
  await refused(() => g.get("Qot_GetShareholdersHoldingChanges", { security: AAPL, sortColumn: 4 }), "sortColumn");
  await refused(() => g.get("Qot_GetShareholdersHoldingChanges", { security: AAPL, nextKey: "abc" }), "nextKey");
  await refused(() => g.get("Qot_GetShareholdersInstitutional", { security: toSecurity("HK.800000") }), "not a stock");
  await refused(() => g.get("Qot_GetShareholdersOverview", { security: toSecurity("US.NOPE") }), "NOPE");
});

Deno.test("insiders: holdings follow the trades, priced inside the day's candle", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const list = await g.get("Qot_GetInsiderHolderList", { security: AAPL });
  const insiders = list.itemList!;
  assert(insiders.length > 0);
  assertEquals(list.allCount, insiders.length);
  assertEquals(list.insiderTotalCount, insiders.length);
  assert(list.insiderBoughtCount! + list.insiderSoldCount! > 0);
  const trades = await g.get("Qot_GetInsiderTradeList", { security: AAPL, num: 20 });
  assert(trades.allCount! > trades.itemList!.length, "more than a page of trades");
  let priced = 0;
  for (const insider of insiders) {
    const own = await g.get("Qot_GetInsiderTradeList", { security: AAPL, holderId: insider.holderId, num: 50 });
    const items = own.itemList!;
    assert(items.every((t) => t.holderId === insider.holderId && t.name === insider.name && t.title === insider.title));
    assertEquals(
      items[0].securityHolderQuantity,
      insider.holderQuantity,
      `${insider.name} holds what the last trade left`,
    );
    for (let i = 0; i + 1 < items.length; i++) {
      const signed = (items[i].transactionType === "Buy" ? 1 : -1) * Number(items[i].tradeShares);
      assertEquals(Number(items[i].securityHolderQuantity) - signed, Number(items[i + 1].securityHolderQuantity));
    }
    for (const trade of items.slice(0, 2)) {
      const day = await candle(gateway, "US.AAPL", trade.minTradeDateStr!);
      assert(
        day.low! <= trade.minPrice! && trade.minPrice! <= trade.maxPrice! && trade.maxPrice! <= day.high!,
        "in range",
      );
      priced++;
    }
    // Its quarterly holding is what its last trade of the quarter left.
    const history = await g.get("Qot_GetShareholdersHolderDetail", {
      security: AAPL,
      holderId: Number(insider.holderId),
    });
    const quarter = history.itemList![0];
    const last = items.find((t) => t.maxTradeDateStr! <= quarter.holdingDateStr!);
    if (last) {
      assertEquals(quarter.holderQuantity, last.securityHolderQuantity, `${insider.name} at ${quarter.periodText}`);
    }
  }
  assert(priced > 0);
  await refused(() => g.get("Qot_GetInsiderTradeList", { security: AAPL, holderId: "12345" }), "holderId");
  await refused(() => g.get("Qot_GetInsiderHolderList", { security: AAPL, num: 21 }), "num");
});

Deno.test("institutions: list, profile, industries, changes and holdings agree with each other and the shareholders", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const list = await g.get("Qot_GetInstitutionList", { market: US, count: 200 });
  const institutions = list.dataList!;
  assert(institutions.length >= 10);
  assertEquals(list.allCount, institutions.length);
  assertEquals(list.currency, "USD");
  for (let i = 1; i < institutions.length; i++) {
    assert(institutions[i - 1].positionValue! >= institutions[i].positionValue!);
  }
  const prices = new Map<string, number>();
  for (const institution of institutions.slice(0, 4)) {
    const id = institution.institutionId;
    const profile = await g.get("Qot_GetInstitutionProfile", { market: US, institutionId: id });
    assertEquals(profile.institutionName, institution.institutionName);
    near(profile.positionValue!, institution.positionValue!, 0.001, "profile value");
    assertEquals(Number(profile.totalHoldingCount), institution.positionCount);
    const holdings = await g.get("Qot_GetInstitutionHoldingList", { market: US, institutionId: id, count: 200 });
    const rows = holdings.dataList!;
    assertEquals(rows.length, institution.positionCount);
    near(rows.reduce((s, r) => s + r.holdingValue!, 0), institution.positionValue!, 0.05, "holdings add up");
    near(rows.reduce((s, r) => s + r.portfolioPct!, 0), 100, 0.001, "portfolio %");
    const distribution = await g.get("Qot_GetInstitutionDistribution", { market: US, institutionId: id });
    near(
      distribution.dataList!.reduce((s, r) => s + r.positionValue!, 0),
      institution.positionValue!,
      0.05,
      "industries",
    );
    let changed = 0;
    for (
      const [changeType, count] of [[1, profile.newCount], [2, profile.soldOutCount], [3, profile.increaseCount], [
        4,
        profile.decreaseCount,
      ]] as const
    ) {
      const list = await g.get("Qot_GetInstitutionHoldingChange", { market: US, institutionId: id, changeType });
      assertEquals(list.allCount, count, `change type ${changeType}`);
      changed += count!;
    }
    assertEquals(Number(profile.holdingChangeCount), changed);
    // Each holding is the institution's position in the stock's shareholder list, at the quarter's close.
    for (const row of rows) {
      const symbol = `US.${row.security.code}`;
      const detail = await g.get("Qot_GetShareholdersHolderDetail", { security: row.security, holderId: id });
      const entry = detail.itemList![0];
      assertEquals(entry.holdingDateStr, row.holdingDate);
      assertEquals(entry.holderPct, row.holdingPct);
      if (!prices.has(symbol)) prices.set(symbol, (await candle(gateway, symbol, row.holdingDate!)).close!);
      near(row.holdingValue!, Number(entry.holderQuantity) * prices.get(symbol)!, 0.01, `${symbol} value`);
      assertEquals(row.changeShares, entry.holderQuantityChange);
    }
  }
  const named = await g.get("Qot_GetInstitutionList", { market: US, namePart: "fund" });
  assert(named.dataList!.length > 0 && named.dataList!.every((i) => /fund/i.test(i.institutionName!)));
  const hk = await g.get("Qot_GetInstitutionList", { market: 1 });
  assertEquals(hk.currency, "HKD");
  await refused(() => g.get("Qot_GetInstitutionProfile", { market: US, institutionId: 7 }), "institutionId");
  await refused(() => g.get("Qot_GetInstitutionList", { market: 21 }), "market");
  await refused(() => g.get("Qot_GetInstitutionList", { market: US, count: 201 }), "count");
  await refused(
    () =>
      g.get("Qot_GetInstitutionHoldingList", {
        market: US,
        institutionId: institutions[0].institutionId,
        sortField: 9,
      }),
    "sortField",
  );
});

Deno.test("ARK: holdings, trades and dynamics agree with each other and the candles", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const fund = await g.get("Qot_GetArkFundHolding", {});
  const positions = fund.dataList!;
  assert(positions.length > 0);
  near(positions.reduce((s, p) => s + p.weight!, 0), 100, 0.001, "weights");
  for (const p of positions) {
    const day = await candle(gateway, `US.${p.security!.code}`, "2026-11-24");
    near(p.marketValue!, Number(p.shares) * day.close!, 0.01, `${p.name} value at the last close`);
  }
  for (let i = 1; i < positions.length; i++) assert(Number(positions[i - 1].shares) >= Number(positions[i].shares));
  // Over a cycle, every stock's change shows under exactly one kind, the same in both protocols.
  let priced = 0;
  for (const cycleType of [0, 2, 4]) {
    const changes = new Map<string, string>();
    for (const holdingType of [1, 2, 3, 4]) {
      for (const p of (await g.get("Qot_GetArkFundHolding", { holdingType, cycleType })).dataList!) {
        assert(!changes.has(p.security!.code), `${p.security!.code} once`);
        changes.set(p.security!.code, p.sharesChange!);
      }
    }
    assert(changes.size > 0, `changes over cycle ${cycleType}`);
    for (const holdingType of [0, 1, 2, 3]) {
      for (const t of (await g.get("Qot_GetArkActiveTransaction", { holdingType, cycleType })).dataList!) {
        assertEquals(t.changeShares, changes.get(t.security!.code), `${t.name} cycle ${cycleType}`);
        if (cycleType === 0) {
          // One day, one trade, at the day's average price: inside its candle.
          const day = await candle(gateway, `US.${t.security!.code}`, "2026-11-24");
          const price = t.changeAmount! / Number(t.changeShares);
          assert(price >= day.low! && price <= day.high!, `${t.name} at ${price} in [${day.low}, ${day.high}]`);
          priced++;
        }
        changes.delete(t.security!.code);
      }
    }
    assertEquals(changes.size, 0, "every change has its transactions");
  }
  assert(priced > 0, "ARK traded on the last day");
  const dynamics = await Promise.all(
    ["US.AAPL", "US.TSLA", "US.NVDA"].map((s) => g.get("Qot_GetArkStockDynamic", { security: toSecurity(s) })),
  );
  assert(dynamics.some((d) => d.dynamicType !== 4), "ARK traded something lately");
  for (const d of dynamics) {
    if (d.dynamicType === 4) continue;
    assert(d.transactionCount! > 0 && d.lastTransactionTime! <= "2026-11-24");
  }
  assertEquals((await g.get("Qot_GetArkStockDynamic", { security: TENCENT })).dynamicType, 4, "no ARK trading in HK");
  await refused(() => g.get("Qot_GetArkFundHolding", { holdingType: 9 }), "holdingType");
  await refused(() => g.get("Qot_GetArkActiveTransaction", { count: 201 }), "count");
  await refused(() => g.get("Qot_GetArkStockDynamic", { security: toSecurity("HK.800000") }), "not a stock");
});

Deno.test("short selling: within the day's volume; short interest is days to cover × average volume", async () => {
  await using sim = await startSim({ at: US_MORNING });
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const daily = await g.get("Qot_GetDailyShortVolume", { security: AAPL, num: 25 });
  const items = daily.usItemList!;
  assertEquals(items.length, 25);
  const candles = (await gateway.quote.requestHistoryKL("US.AAPL", "K_DAY", {
    begin: "2026-09-01",
    end: "2026-11-24",
    rehab: "NONE",
  })).klines.reverse();
  assertEquals(items.map((i) => i.timestampStr), candles.slice(0, 25).map((k) => k.time.slice(0, 10)), "trading days");
  items.forEach((item, i) => {
    const total = Number(item.totalSharesShort);
    assertEquals(Number(item.volume), candles[i].volume);
    assertEquals(item.closePrice, candles[i].close);
    assert(total <= Number(item.volume) && Number(item.nasdaqSharesShort) + Number(item.nyseSharesShort) <= total);
    near(item.shortPercent!, total / Number(item.volume) * 100, 0.005, "short %");
  });
  const interest = await g.get("Qot_GetShortInterest", { security: AAPL, num: 4 });
  const shares = securityBySymbol("US.AAPL")!.sharesOutstanding!;
  for (const item of interest.usItemList!) {
    const short = Number(item.sharesShort);
    const adv = Number(item.avgDailyShareVolume);
    near(item.daysToCover!, short / adv, 0.005, "days to cover");
    near(item.shortPercent!, short / shares * 100, 0.00006, "short % of shares outstanding");
    const day = candles.findIndex((k) => k.time.startsWith(item.timestampStr!));
    const window = candles.slice(day, day + 20);
    near(adv, window.reduce((s, k) => s + k.volume!, 0) / 20, 0.5, `20-day average volume to ${item.timestampStr}`);
  }
  const next = await g.get("Qot_GetShortInterest", { security: AAPL, num: 4, nextKey: interest.nextKey });
  assert(next.usItemList![0].timestampStr! < interest.usItemList![3].timestampStr!, "the next page is older");

  const hk = await g.get("Qot_GetDailyShortVolume", { security: TENCENT, num: 5 });
  for (const item of hk.hkItemList!) {
    assert(Number(item.shortSellSharesTraded) <= Number(item.sharesTraded));
    assert(item.shortSellTurnover! <= item.turnover!);
  }
  const hkInterest = await g.get("Qot_GetShortInterest", { security: TENCENT, num: 2 });
  assertEquals(hk.aggregatedShort, hkInterest.hkItemList![0].aggregatedShort);
  assertEquals(hk.newTimeStr, hkInterest.hkItemList![0].timestampStr);
  await refused(() => g.get("Qot_GetDailyShortVolume", { security: toSecurity("SH.600519") }), "HK and US");
  await refused(() => g.get("Qot_GetShortInterest", { security: AAPL, num: 51 }), "num");
});

Deno.test("top brokers: catalog brokers, net buyers then sellers, inside the day's turnover and range", async () => {
  await using sim = await startSim();
  await using gateway = await connect(sim);
  const g = gateway.insight;
  const live = await g.get("Qot_GetTopTenBuySellBrokers", { security: TENCENT });
  assertEquals(live.isRealTime, true);
  const [snapshot] = await gateway.quote.getSnapshot(["HK.00700"]);
  const brokers = live.brokerList!;
  const names = new Set(HK_BROKERS.map((b) => b.name));
  assert(brokers.length > 0 && brokers.every((b) => names.has(b.brokerName!)));
  const nets = brokers.map((b) => Number(b.netVol));
  const firstSeller = brokers.findIndex((b) => b.buySellType === 2);
  assert(brokers.slice(0, firstSeller).every((b) => b.buySellType === 1 && Number(b.netVol) > 0));
  assert(brokers.slice(firstSeller).every((b) => b.buySellType === 2 && Number(b.netVol) < 0));
  for (let i = 1; i < brokers.length; i++) {
    if (i !== firstSeller) assert(Math.abs(nets[i - 1]) >= Math.abs(nets[i]), "largest first");
  }
  assert(brokers.reduce((s, b) => s + b.totalTurnover!, 0) <= snapshot.turnover, "below the day's turnover");
  for (const b of brokers) {
    assert(b.avgPrice! >= snapshot.lowPrice! && b.avgPrice! <= snapshot.highPrice!, `${b.brokerName} price in range`);
    assert(b.totalVol! >= Math.abs(Number(b.netVol)));
  }
  const history = await g.get("Qot_GetTopTenBuySellBrokers", { security: TENCENT, daysBefore: 1 });
  assertEquals(history.isRealTime, false);
  assertEquals(history.dataTimeStr, "2026-11-25 16:00:00");
  assert(history.brokerList!.every((b) => b.avgPrice === undefined && b.totalVol === undefined));
  const day = await candle(gateway, "HK.00700", "2026-11-25");
  const bought = history.brokerList!.filter((b) => b.buySellType === 1).reduce((s, b) => s + Number(b.netVol), 0);
  assert(bought <= day.volume!, "net buying within the day's volume");
  await refused(() => g.get("Qot_GetTopTenBuySellBrokers", { security: AAPL }), "HK stocks");
  await refused(() => g.get("Qot_GetTopTenBuySellBrokers", { security: TENCENT, daysBefore: -1 }), "daysBefore");
});

Deno.test("ownership replies are a function of the seed", async () => {
  const requests = async (gateway: Gateway) => {
    const g = gateway.insight;
    return [
      await g.get("Qot_GetShareholdersOverview", { security: AAPL }),
      await g.get("Qot_GetShareholdersHoldingChanges", { security: TENCENT }),
      await g.get("Qot_GetInsiderTradeList", { security: AAPL }),
      await g.get("Qot_GetInstitutionList", { market: US }),
      await g.get("Qot_GetArkFundHolding", {}),
      await g.get("Qot_GetDailyShortVolume", { security: AAPL }),
      await g.get("Qot_GetTopTenBuySellBrokers", { security: TENCENT, daysBefore: 2 }),
    ];
  };
  await using a = await startSim({ at: US_MORNING });
  await using b = await startSim({ at: US_MORNING });
  await using c = await startSim({ at: US_MORNING, seed: 7 });
  await using ga = await connect(a);
  await using gb = await connect(b);
  await using gc = await connect(c);
  const [ra, rb, rc] = [await requests(ga), await requests(gb), await requests(gc)];
  assertEquals(ra, rb);
  ra.forEach((reply, i) => assert(JSON.stringify(reply) !== JSON.stringify(rc[i]), `reply ${i} depends on the seed`));
});
