/**
 * The securities and plates of the simulated market. Prices move around each
 * security's `basePrice` (see `market.ts`); derivatives are priced from their
 * underlying.
 *
 * | symbol | name | type | lot |
 * |---|---|---|---:|
 * | HK.00700 | Tencent | stock | 100 |
 * | HK.09988 | Alibaba | stock | 100 |
 * | HK.800000 | Hang Seng Index | index | – |
 * | HK.28123 | Tencent call warrant, strike 480 | warrant | 10 000 |
 * | US.AAPL | Apple | stock | 1 |
 * | US.TSLA | Tesla | stock | 1 |
 * | US.NVDA | NVIDIA | stock | 1 |
 * | US.AAPL270115C250000 | AAPL Jan 2027 250 call | option | 1 (×100) |
 * | SH.600519 | Kweichow Moutai | stock | 100 |
 * | SZ.000001 | Ping An Bank | stock | 100 |
 * | HK.00005 | HSBC | stock | 400 |
 * | HK.00941 | China Mobile | stock | 500 |
 * | HK.03690 | Meituan | stock | 100 |
 * | HK.01810 | Xiaomi | stock | 200 |
 * | HK.HSImain | HSI futures main contract (×50) | future | 1 |
 *
 * Generated besides (`warrant_issues.ts`, `option_chains.ts`,
 * `future_contracts.ts`): nine warrants and CBBCs on each of HK.00700,
 * HK.09988 and HK.800000; option chains on HK.00700, HK.09988, US.AAPL,
 * US.TSLA and US.NVDA, every contract resolvable from its code; the HSI
 * contract months (HK.HSI2612…).
 *
 * @module
 */
import type { SimMarket } from "./clock.ts";
import { type ChainTerms, contractOf, type ExpiryCycle } from "./option_chains.ts";
import { futureContractOf } from "./future_contracts.ts";
import { issueWarrants, type SimWarrantType } from "./warrant_issues.ts";

/** Kind of a simulated security. */
export type SimSecurityKind = "stock" | "index" | "warrant" | "option" | "future";

/** A simulated security. */
export interface SimSecurity {
  /** "HK.00700" */
  symbol: string;
  market: SimMarket;
  code: string;
  name: string;
  kind: SimSecurityKind;
  /** Board lot (shares per lot); 0 for indices. */
  lotSize: number;
  /** Starting level of the price path. */
  basePrice: number;
  /** Annualised volatility of the price path. */
  volatility: number;
  /** Typical shares per trade print. */
  tradeSize: number;
  listDate: string;
  /** Shares outstanding (stocks) for turnover rate and market value. */
  sharesOutstanding?: number;
  /** Earnings per share, for P/E. */
  eps?: number;
  netAssetPerShare?: number;
  dividendTTM?: number;
  /** Derivatives: the underlying's symbol. */
  underlying?: string;
  callPut?: "CALL" | "PUT";
  strike?: number;
  /** Expiry / maturity, "YYYY-MM-DD". */
  expiry?: string;
  /** Warrants: underlying shares per warrant (conversion ratio, e.g. 100 warrants per share → 100). */
  conversionRatio?: number;
  /** Options: shares per contract; futures: currency units per point. */
  contractSize?: number;
  /** Underlyings with listed options: their chain's terms. */
  chain?: ChainTerms;
  /** Options: how the expiry recurs. */
  expiryCycle?: ExpiryCycle;
  /** Warrants: call, put, bull or bear. */
  warrantType?: SimWarrantType;
  /** Warrants: issuer code (`Qot_Common.Issuer` name, e.g. "SG"). */
  issuer?: string;
  /** CBBCs: the call (recovery) price. */
  recoveryPrice?: number;
  /** Warrants: units issued. */
  issueSize?: number;
  /** Futures: code root of the contract months ("HSI"). */
  futureRoot?: string;
  /** Futures: whether this is the main (continuous) contract. */
  isMainContract?: boolean;
  /** Futures contract months: the last trading day, "YYYY-MM-DD". */
  lastTradeDate?: string;
  /** A fixed price step, where the market's spread table does not apply (futures). */
  priceStep?: number;
}

const SECURITIES: SimSecurity[] = [
  {
    symbol: "HK.00700",
    market: "HK",
    code: "00700",
    name: "TENCENT",
    kind: "stock",
    lotSize: 100,
    basePrice: 420,
    volatility: 0.3,
    tradeSize: 500,
    listDate: "2004-06-16",
    sharesOutstanding: 9_300_000_000,
    eps: 20.5,
    netAssetPerShare: 105,
    dividendTTM: 3.4,
    chain: { root: "TCH", contractSize: 100, strikeStep: 10, weeklies: false },
  },
  {
    symbol: "HK.09988",
    market: "HK",
    code: "09988",
    name: "BABA-W",
    kind: "stock",
    lotSize: 100,
    basePrice: 85,
    volatility: 0.38,
    tradeSize: 1500,
    listDate: "2019-11-26",
    sharesOutstanding: 19_400_000_000,
    eps: 5.1,
    netAssetPerShare: 52,
    dividendTTM: 0.8,
    chain: { root: "ALB", contractSize: 500, strikeStep: 2.5, weeklies: false },
  },
  {
    symbol: "HK.800000",
    market: "HK",
    code: "800000",
    name: "HSI",
    kind: "index",
    lotSize: 0,
    basePrice: 19500,
    volatility: 0.22,
    tradeSize: 2_000_000,
    listDate: "1969-11-24",
  },
  {
    symbol: "HK.28123",
    market: "HK",
    code: "28123",
    name: "TENCENT MB 2706C",
    kind: "warrant",
    lotSize: 10_000,
    basePrice: 0,
    volatility: 0,
    tradeSize: 100_000,
    listDate: "2026-03-02",
    underlying: "HK.00700",
    callPut: "CALL",
    strike: 480,
    expiry: "2027-06-29",
    conversionRatio: 100,
    warrantType: "CALL",
    issuer: "MB",
    issueSize: 150_000_000,
  },
  {
    symbol: "US.AAPL",
    market: "US",
    code: "AAPL",
    name: "Apple Inc.",
    kind: "stock",
    lotSize: 1,
    basePrice: 230,
    volatility: 0.27,
    tradeSize: 120,
    listDate: "1980-12-12",
    sharesOutstanding: 15_100_000_000,
    eps: 6.7,
    netAssetPerShare: 4.4,
    dividendTTM: 1.0,
    chain: { root: "AAPL", contractSize: 100, strikeStep: 5, weeklies: true },
  },
  {
    symbol: "US.TSLA",
    market: "US",
    code: "TSLA",
    name: "Tesla, Inc.",
    kind: "stock",
    lotSize: 1,
    basePrice: 330,
    volatility: 0.6,
    tradeSize: 150,
    listDate: "2010-06-29",
    sharesOutstanding: 3_200_000_000,
    eps: 2.3,
    netAssetPerShare: 23,
    chain: { root: "TSLA", contractSize: 100, strikeStep: 10, weeklies: true },
  },
  {
    symbol: "US.NVDA",
    market: "US",
    code: "NVDA",
    name: "NVIDIA Corporation",
    kind: "stock",
    lotSize: 1,
    basePrice: 140,
    volatility: 0.5,
    tradeSize: 300,
    listDate: "1999-01-22",
    sharesOutstanding: 24_400_000_000,
    eps: 2.9,
    netAssetPerShare: 2.7,
    dividendTTM: 0.04,
    chain: { root: "NVDA", contractSize: 100, strikeStep: 5, weeklies: true },
  },
  {
    symbol: "US.AAPL270115C250000",
    market: "US",
    code: "AAPL270115C250000",
    name: "AAPL 270115 250.00C",
    kind: "option",
    lotSize: 1,
    basePrice: 0,
    // The AAPL chain's smile at this strike (`option_chains.ts`), so that it prices like its put.
    volatility: 0.2689,
    tradeSize: 5,
    listDate: "2024-09-20",
    underlying: "US.AAPL",
    callPut: "CALL",
    strike: 250,
    expiry: "2027-01-15",
    contractSize: 100,
    expiryCycle: "MONTH",
  },
  {
    symbol: "SH.600519",
    market: "SH",
    code: "600519",
    name: "贵州茅台",
    kind: "stock",
    lotSize: 100,
    basePrice: 1550,
    volatility: 0.25,
    tradeSize: 200,
    listDate: "2001-08-27",
    sharesOutstanding: 1_256_000_000,
    eps: 68,
    netAssetPerShare: 185,
    dividendTTM: 30.9,
  },
  {
    symbol: "SZ.000001",
    market: "SZ",
    code: "000001",
    name: "平安银行",
    kind: "stock",
    lotSize: 100,
    basePrice: 11.5,
    volatility: 0.22,
    tradeSize: 5000,
    listDate: "1991-04-03",
    sharesOutstanding: 19_406_000_000,
    eps: 2.3,
    netAssetPerShare: 22.5,
    dividendTTM: 0.72,
  },
  // More HK stocks, so that the stock filter (Qot_StockFilter) screens a population worth sorting and paging.
  {
    symbol: "HK.00005",
    market: "HK",
    code: "00005",
    name: "HSBC HOLDINGS",
    kind: "stock",
    lotSize: 400,
    basePrice: 98,
    volatility: 0.2,
    tradeSize: 4000,
    listDate: "1991-07-29",
    sharesOutstanding: 17_800_000_000,
    eps: 8.9,
    netAssetPerShare: 78,
    dividendTTM: 5.2,
  },
  {
    symbol: "HK.00941",
    market: "HK",
    code: "00941",
    name: "CHINA MOBILE",
    kind: "stock",
    lotSize: 500,
    basePrice: 82,
    volatility: 0.18,
    tradeSize: 3000,
    listDate: "1997-10-23",
    sharesOutstanding: 21_500_000_000,
    eps: 6.9,
    netAssetPerShare: 62,
    dividendTTM: 5,
  },
  {
    symbol: "HK.03690",
    market: "HK",
    code: "03690",
    name: "MEITUAN-W",
    kind: "stock",
    lotSize: 100,
    basePrice: 150,
    volatility: 0.45,
    tradeSize: 1200,
    listDate: "2018-09-20",
    sharesOutstanding: 6_100_000_000,
    eps: 5.6,
    netAssetPerShare: 28,
  },
  {
    symbol: "HK.01810",
    market: "HK",
    code: "01810",
    name: "XIAOMI-W",
    kind: "stock",
    lotSize: 200,
    basePrice: 45,
    volatility: 0.42,
    tradeSize: 8000,
    listDate: "2018-07-09",
    sharesOutstanding: 25_000_000_000,
    eps: 1.1,
    netAssetPerShare: 7.5,
  },
  // Appended, so that the securities before it keep their catalog numbers (and price paths).
  {
    symbol: "HK.HSImain",
    market: "HK",
    code: "HSImain",
    name: "HSI MAIN",
    kind: "future",
    lotSize: 1,
    basePrice: 19480,
    volatility: 0.22,
    tradeSize: 20,
    listDate: "1986-05-06",
    underlying: "HK.800000",
    contractSize: 50,
    futureRoot: "HSI",
    isMainContract: true,
    priceStep: 1,
  },
];

/** A simulated plate (sector). */
export interface SimPlate {
  /** "HK.BK1910" */
  symbol: string;
  market: SimMarket;
  code: string;
  name: string;
  setType: "INDUSTRY" | "REGION" | "CONCEPT";
  constituents: string[];
}

const PLATES: SimPlate[] = [
  {
    symbol: "HK.BK1910",
    market: "HK",
    code: "BK1910",
    name: "Internet & Software",
    setType: "INDUSTRY",
    constituents: ["HK.00700", "HK.09988"],
  },
  {
    symbol: "HK.BK1099",
    market: "HK",
    code: "BK1099",
    name: "Hang Seng Tech Leaders",
    setType: "CONCEPT",
    constituents: ["HK.00700", "HK.09988", "HK.03690", "HK.01810"],
  },
  {
    symbol: "HK.BK1300",
    market: "HK",
    code: "BK1300",
    name: "Mainland China Enterprises",
    setType: "REGION",
    constituents: ["HK.00700", "HK.09988", "HK.00941", "HK.03690", "HK.01810"],
  },
  {
    symbol: "HK.BK1583",
    market: "HK",
    code: "BK1583",
    name: "High Dividend",
    setType: "CONCEPT",
    constituents: ["HK.00005", "HK.00941"],
  },
  {
    symbol: "US.BK2511",
    market: "US",
    code: "BK2511",
    name: "Consumer Electronics",
    setType: "INDUSTRY",
    constituents: ["US.AAPL"],
  },
  {
    symbol: "US.BK2999",
    market: "US",
    code: "BK2999",
    name: "Semiconductors",
    setType: "INDUSTRY",
    constituents: ["US.NVDA"],
  },
  {
    symbol: "US.BK2995",
    market: "US",
    code: "BK2995",
    name: "Automobiles",
    setType: "INDUSTRY",
    constituents: ["US.TSLA"],
  },
  {
    symbol: "US.BK2001",
    market: "US",
    code: "BK2001",
    name: "Magnificent Seven",
    setType: "CONCEPT",
    constituents: ["US.AAPL", "US.NVDA", "US.TSLA"],
  },
  { symbol: "SH.BK0477", market: "SH", code: "BK0477", name: "白酒", setType: "INDUSTRY", constituents: ["SH.600519"] },
  { symbol: "SZ.BK0475", market: "SZ", code: "BK0475", name: "银行", setType: "INDUSTRY", constituents: ["SZ.000001"] },
];

/** Brokers of the HK broker queue. */
export const HK_BROKERS: readonly { id: number; name: string }[] = [
  { id: 1096, name: "Goldman Sachs (Asia) Securities" },
  { id: 6996, name: "China Investment Information Services" },
  { id: 4088, name: "UBS Securities Hong Kong" },
  { id: 5338, name: "J.P. Morgan Broking (Hong Kong)" },
  { id: 6387, name: "Morgan Stanley Hong Kong Securities" },
  { id: 8578, name: "HSBC Securities Brokers (Asia)" },
  { id: 1799, name: "Futu Securities International (Hong Kong)" },
  { id: 2846, name: "Citigroup Global Markets Asia" },
  { id: 3448, name: "BOCI Securities" },
  { id: 9056, name: "Merrill Lynch Far East" },
  { id: 6698, name: "Huatai Financial Holdings (Hong Kong)" },
  { id: 7387, name: "China International Capital Corporation HK Securities" },
];

SECURITIES.push(...issueWarrants(SECURITIES));

/** The documented set of simulated securities (option contracts and future months resolve besides). */
export const SIM_SECURITIES: readonly SimSecurity[] = SECURITIES;

/** The documented set of simulated plates. */
export const SIM_PLATES: readonly SimPlate[] = PLATES;

const bySymbol = new Map(SECURITIES.map((s) => [s.symbol, s]));
const byMarketCode = new Map(SECURITIES.map((s) => [`${s.market}|${s.code}`, s]));
const plateBySymbol = new Map(PLATES.map((p) => [p.symbol, p]));

/** A security by symbol. */
export function securityBySymbol(symbol: string): SimSecurity | undefined {
  const dot = symbol.indexOf(".");
  return bySymbol.get(symbol) ?? generated(symbol.slice(0, dot) as SimMarket, symbol.slice(dot + 1));
}

/** A security by market and code. */
export function securityByCode(market: SimMarket, code: string): SimSecurity | undefined {
  return byMarketCode.get(`${market}|${code}`) ?? generated(market, code);
}

const UNDERLYINGS = SECURITIES.filter((s) => s.chain);
const FUTURE_MAINS = SECURITIES.filter((s) => s.futureRoot);
/** Generated securities, one object per code: the price model caches by identity. */
const generatedByKey = new Map<string, SimSecurity | null>();
const generatedIndex = new Map<SimSecurity, number>();

/** An option contract or future month of the catalog's chains, made on first use. */
function generated(market: SimMarket, code: string): SimSecurity | undefined {
  const key = `${market}|${code}`;
  const known = generatedByKey.get(key);
  if (known !== undefined) return known ?? undefined;
  let security: SimSecurity | undefined;
  const contract = contractOf(market, code, UNDERLYINGS);
  if (contract) {
    security = contract.security;
    generatedIndex.set(security, contract.number);
  } else {
    security = futureContractOf(market, code, FUTURE_MAINS);
    // A contract month trades on its main contract's path.
    if (security) {
      generatedIndex.set(
        security,
        indexOf.get(FUTURE_MAINS.find((m) => m.futureRoot === security!.futureRoot)!)!,
      );
    }
  }
  // Unknown codes are remembered too, but only a bounded number of them.
  if (security || generatedByKey.size < 100_000) generatedByKey.set(key, security ?? null);
  return security;
}

/** A plate by symbol. */
export function plateBySymbolOf(symbol: string): SimPlate | undefined {
  return plateBySymbol.get(symbol);
}

/** The index of a security in the catalog (a stable per-security number). */
export function securityIndex(security: SimSecurity): number {
  return indexOf.get(security) ?? generatedIndex.get(security) ?? -1;
}

const indexOf = new Map(SECURITIES.map((s, i) => [s, i]));
