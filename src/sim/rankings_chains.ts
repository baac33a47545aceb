/**
 * Industrial chains of the simulated OpenD: a fixed, hand-made structure
 * (six chains, their nodes by layer, industrial plates on the nodes) whose
 * members are catalog stocks, so every figure of a chain or plate comes from
 * the simulated market: a chain's market value is the sum of its members'
 * (shares outstanding × price, converted to the requested market's currency
 * at the simulator's fixed rates; HKD where the request names no market), its stock count the number of distinct
 * members; plate stocks sort by the members' quotes. Chain and plate ids
 * from one reply are accepted by the others; unknown ids are refused. The
 * information links are generated.
 *
 * | chain | type | plates (members) |
 * |---|---|---|
 * | 1001 AI computing | up/mid/downstream | 300101 AI accelerators (NVDA), 300102 Cloud & AI platforms (00700, 09988), 300103 AI devices (AAPL, 01810) |
 * | 1002 Electric vehicles | chain | 300201 EV makers (TSLA, 01810), 300101 |
 * | 1003 Internet platforms | parallel | 300301 Social & gaming (00700), 300302 E-commerce (09988), 300303 Local services (03690) |
 * | 1004 Telecom & 5G | up/mid/downstream | 300401 5G handsets (AAPL, 01810), 300402 Telecom operators (00941) |
 * | 1005 Banking | parallel | 300501 Global banks (00005), 300502 Mainland banks (000001) |
 * | 1006 Baijiu | chain | 300601 Premium baijiu (600519) |
 *
 * @module
 */
import { currencyOfMarket } from "../gateway/enums.ts";
import { Qot_GetIndustrialPlateStock_SortField } from "../gateway/proto/messages.ts";
import { marketOfQotMarket } from "../gateway/symbols.ts";
import { fail, round } from "./_handler_common.ts";
import { convert, currencyOf } from "./accounts.ts";
import { securityBySymbol, type SimSecurity } from "./catalog.ts";
import type { Handler } from "./handlers.ts";
import type { MarketData } from "./market.ts";
import { countOf, enumOf, figuresOf, pageOffset, rankMarket } from "./rankings.ts";
import { securityOf } from "./wire.ts";
import { nextKeyOf } from "./_paging.ts";

/** An industrial plate: a node's group of stocks. */
export interface IndustrialPlate {
  id: string;
  name: string;
  summary: string;
  members: readonly string[];
}

/** A node of a chain. */
export interface ChainNode {
  id: string;
  /** "0" for the root. */
  parent: string;
  layer: number;
  name: string;
  plateId?: string;
}

/** An industrial chain. */
export interface IndustrialChain {
  id: string;
  /** `IndustrialChainType`: 1 chain, 2 parallel, 3 up/mid/downstream. */
  type: 1 | 2 | 3;
  name: string;
  detail: string;
  nodes: readonly ChainNode[];
}

const plate = (id: string, name: string, summary: string, members: string[]): IndustrialPlate => ({
  id,
  name,
  summary,
  members,
});

/** The industrial plates, by id. */
export const INDUSTRIAL_PLATES: ReadonlyMap<string, IndustrialPlate> = new Map(
  [
    plate("300101", "AI accelerators", "GPUs and accelerators that train and serve AI models.", ["US.NVDA"]),
    plate("300102", "Cloud & AI platforms", "Public cloud and foundation-model platforms.", ["HK.00700", "HK.09988"]),
    plate("300103", "AI devices", "Phones and PCs that run AI on the device.", ["US.AAPL", "HK.01810"]),
    plate("300201", "EV makers", "Makers of battery-electric vehicles.", ["US.TSLA", "HK.01810"]),
    plate("300301", "Social & gaming", "Messaging, social networks and online games.", ["HK.00700"]),
    plate("300302", "E-commerce", "Online retail marketplaces.", ["HK.09988"]),
    plate("300303", "Local services", "Food delivery and in-store services.", ["HK.03690"]),
    plate("300401", "5G handsets", "Smartphone makers.", ["US.AAPL", "HK.01810"]),
    plate("300402", "Telecom operators", "Mobile and fixed-line network operators.", ["HK.00941"]),
    plate("300501", "Global banks", "International banking groups.", ["HK.00005"]),
    plate("300502", "Mainland banks", "Commercial banks of mainland China.", ["SZ.000001"]),
    plate("300601", "Premium baijiu", "Makers of premium Chinese liquor.", ["SH.600519"]),
  ].map((p) => [p.id, p]),
);

function chain(id: string, type: 1 | 2 | 3, name: string, detail: string, layers: [string, string?][]) {
  const root: ChainNode = { id: `${id}00`, parent: "0", layer: 1, name };
  const nodes = layers.map(([nodeName, plateId], i): ChainNode => ({
    id: `${id}${String(i + 1).padStart(2, "0")}`,
    parent: root.id,
    layer: 2,
    name: nodeName,
    plateId,
  }));
  return { id, type, name, detail, nodes: [root, ...nodes] };
}

/** The industrial chains, in list order. */
export const INDUSTRIAL_CHAINS: readonly IndustrialChain[] = [
  chain("1001", 3, "AI computing", "From accelerator chips through cloud platforms to AI devices.", [
    ["Upstream: accelerator chips", "300101"],
    ["Midstream: cloud & models", "300102"],
    ["Downstream: AI devices", "300103"],
  ]),
  chain("1002", 1, "Electric vehicles", "Vehicle makers and the compute that drives them.", [
    ["Vehicle makers", "300201"],
    ["Autonomous-driving compute", "300101"],
  ]),
  chain("1003", 2, "Internet platforms", "Consumer internet platforms side by side.", [
    ["Social & gaming", "300301"],
    ["E-commerce", "300302"],
    ["Local services", "300303"],
  ]),
  chain("1004", 3, "Telecom & 5G", "Handsets downstream of the network operators.", [
    ["Upstream: networks", "300402"],
    ["Downstream: handsets", "300401"],
  ]),
  chain("1005", 2, "Banking", "Global and mainland banks.", [["Global banks", "300501"], ["Mainland banks", "300502"]]),
  chain("1006", 1, "Baijiu", "Premium Chinese liquor.", [["Premium baijiu", "300601"]]),
];

/** The distinct member stocks of a chain, in node order. */
export function chainMembers(c: IndustrialChain): SimSecurity[] {
  const symbols = new Set(c.nodes.flatMap((n) => n.plateId ? INDUSTRIAL_PLATES.get(n.plateId)!.members : []));
  return [...symbols].map((s) => securityBySymbol(s)!);
}

function chainOf(id: string | undefined): IndustrialChain {
  const found = INDUSTRIAL_CHAINS.find((c) => c.id === String(id ?? ""));
  if (!found) fail(id === undefined ? "chainId is required" : `Unknown chainId ${id}`);
  return found;
}

function plateOf(id: string | undefined): IndustrialPlate {
  const found = INDUSTRIAL_PLATES.get(String(id ?? ""));
  if (!found) fail(id === undefined ? "plateId is required" : `Unknown plateId ${id}`);
  return found;
}

/** A chain's market value in a market's currency. */
function chainCap(market: MarketData, c: IndustrialChain, inMarket: string): number {
  const currency = currencyOfMarket(inMarket) ?? "HKD";
  const total = chainMembers(c).reduce(
    (sum, s) => sum + convert(figuresOf(market, s).marketCap, currencyOf(s), currency),
    0,
  );
  return round(total, 2);
}

/** Qot_GetIndustrialChainList: the chains with a member in the market, by keyword. */
export const industrialChainList: Handler<"Qot_GetIndustrialChainList"> = (ctx, _session, c2s) => {
  const market = rankMarket(c2s.market, ["HK", "US", "SH", "SZ"]);
  const count = countOf(c2s.count, 20, 50);
  const offset = pageOffset(c2s.page);
  const keyword = c2s.keyword?.trim().toLowerCase() ?? "";
  const chains = INDUSTRIAL_CHAINS.filter((c) => chainMembers(c).some((s) => s.market === market))
    .filter((c) => keyword === "" || `${c.name} ${c.detail}`.toLowerCase().includes(keyword));
  return {
    dataList: chains.slice(offset, offset + count).map((c) => ({
      chainId: c.id,
      chainType: c.type,
      name: c.name,
      detail: c.detail,
      marketCap: chainCap(ctx.market, c, market),
      stocksNum: String(chainMembers(c).length),
      relationSecurityList: chainMembers(c).map(securityOf),
    })),
    allCount: chains.length,
    nextPage: nextKeyOf(offset, count, chains.length, ""),
  };
};

/** Qot_GetIndustrialChainDetail. */
export const industrialChainDetail: Handler<"Qot_GetIndustrialChainDetail"> = (_ctx, _session, c2s) => {
  const c = chainOf(c2s.chainId);
  return {
    chainId: c.id,
    chainType: c.type,
    name: c.name,
    nodeList: c.nodes.map((n) => ({
      nodeId: n.id,
      parentNodeId: n.parent,
      layerSth: String(n.layer),
      name: n.name,
      plateId: n.plateId,
    })),
    informationList: [
      { title: `${c.name}: where the chain's profits sit`, url: `https://news.futunn.com/sim/chain/${c.id}/1` },
      { title: `${c.name}: the quarter's movers`, url: `https://news.futunn.com/sim/chain/${c.id}/2` },
    ],
  };
};

/** Qot_GetIndustrialChainByPlate: the chains one of whose nodes is on the plate. */
export const industrialChainByPlate: Handler<"Qot_GetIndustrialChainByPlate"> = (ctx, _session, c2s) => {
  const p = plateOf(c2s.plateId);
  return {
    relatedChainList: INDUSTRIAL_CHAINS.filter((c) => c.nodes.some((n) => n.plateId === p.id)).map((c) => ({
      chainId: c.id,
      chainType: c.type,
      name: c.name,
      marketCap: chainCap(ctx.market, c, "HK"),
      stocksNum: String(chainMembers(c).length),
    })),
  };
};

/** Qot_GetIndustrialPlateInfo. */
export const industrialPlateInfo: Handler<"Qot_GetIndustrialPlateInfo"> = (_ctx, _session, c2s) => {
  const p = plateOf(c2s.plateId);
  return { plateId: p.id, summary: `${p.name}. ${p.summary}` };
};

const PLATE_STOCK_MARKETS: Readonly<Record<string, readonly string[]>> = {
  HK: ["HK"],
  US: ["US"],
  SH: ["SH", "SZ"],
  SZ: ["SH", "SZ"],
};

/** Qot_GetIndustrialPlateStock: a plate's (else a chain's) member stocks. */
export const industrialPlateStock: Handler<"Qot_GetIndustrialPlateStock"> = (ctx, _session, c2s) => {
  const members = c2s.plateId !== undefined
    ? plateOf(c2s.plateId).members.map((s) => securityBySymbol(s)!)
    : c2s.chainId !== undefined
    ? chainMembers(chainOf(c2s.chainId))
    : fail("plateId or chainId is required");
  const markets = new Set<string>();
  for (const wire of c2s.marketList ?? []) {
    const m = marketOfQotMarket(wire);
    if (!m) fail(`Unknown market ${wire} in marketList`);
    for (const x of PLATE_STOCK_MARKETS[m] ?? [m]) markets.add(x);
  }
  const F = Qot_GetIndustrialPlateStock_SortField;
  const field = enumOf(c2s.sortField, F, "sortField") ?? F.MarketVal;
  const count = countOf(c2s.count, 50, 200);
  const offset = pageOffset(c2s.page);
  const rows = members.filter((s) => markets.size === 0 || markets.has(s.market)).map((s) => {
    const f = figuresOf(ctx.market, s);
    const hkd = (v: number) => convert(v, currencyOf(s), "HKD");
    return { s, key: [0, f.changeRatio, hkd(f.turnover), f.volume, hkd(f.marketCap)][field] };
  });
  rows.sort((a, b) => {
    const order = field === F.Code
      ? (a.s.symbol < b.s.symbol ? -1 : a.s.symbol > b.s.symbol ? 1 : 0)
      : a.key - b.key || (a.s.symbol < b.s.symbol ? -1 : 1);
    return c2s.ascend ? order : -order;
  });
  const next = nextKeyOf(offset, count, rows.length, "");
  return {
    stockList: rows.slice(offset, offset + count).map(({ s }) => ({ security: securityOf(s), name: s.name })),
    page: next === "" ? undefined : next,
    allCount: rows.length,
  };
};
