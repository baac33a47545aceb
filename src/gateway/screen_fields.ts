/**
 * The numeric vocabulary of the V2 screens (Qot_StockScreen, Qot_WarrantScreen)
 * that the protos carry as plain `int32` and document only in comments (their
 * enums live in Futu's backend `stock_screener_common.proto`, which OpenD does
 * not ship; Qot_StockScreen.proto states its field numbers are the backend's).
 * Only codes an official source states are named here; a code no such source
 * states is not guessed. Qot_OptionScreen's vocabulary is generated
 * (`Qot_OptionScreen_*`).
 *
 * Sources of the stock-screen property codes:
 * - the pinned `Qot_StockScreen.proto` comments: 1101–1103, 2201, 2301, 3101,
 *   3102, 4101, 4102, terms 1/2/10/100;
 * - Futu's official agent plugin (GitHub MoomooOpen/moomoo-agent-plugin,
 *   `skills/moomoo-mcp-screen/reference/quote-screening.md`, commit d1989d43),
 *   whose tables of the backend `PropertyName*` codes agree with every code the
 *   proto states and add: simple 2302 static P/E, 2303 P/E TTM, 2304 P/B, 2305
 *   dividend yield, 2306 listing time; cumulative 3103 amplitude, 3104 average
 *   volume, 3105 average turnover, 3106 turnover rate; financial 4105 revenue,
 *   4106 revenue growth, 4107 net margin, 4108 gross margin, 4109 debt to
 *   assets, 4110 ROE, 4801 basic EPS, 4903 float market cap, 4904 P/S TTM.
 *   Values travel raw (OpenD applies the backend's scale factors). Ratios are
 *   fractions: the OpenAPI page "Stock Screening V2" states it for the change
 *   rate (5 % = 0.05, not 5.0); for the other ratios it is assumed alike.
 * Named below are the ones the tools offer; revenue, its growth, the margins,
 * debt to assets, P/S and listing time are not offered (the simulator has no
 * revenue or balance-sheet figures to screen them on).
 *
 * @example
 * ```ts
 * import { SCR_MARKET, STOCK_PROPERTIES } from "./screen_fields.ts";
 * const query = { simpleFieldQuery: { simpleField: 1, screenValueList: [String(SCR_MARKET.HK)] } };
 * console.log(query, STOCK_PROPERTIES.price); // { kind: "simple", code: 2201 }
 * ```
 *
 * @module
 */

/** `stock_screener_common.Market` (not `Qot_Common.QotMarket`): the values of the MARKET simple field. */
export const SCR_MARKET = { HK: 1, US: 2, CN: 3, SG: 4, CA: 5, AU: 6, JP: 7, MY: 8 } as const;

/** A screen market name. */
export type ScrMarketName = keyof typeof SCR_MARKET;

/** `SimpleField` of a `QuerySimpleField`: the market. */
export const SIMPLE_FIELD_MARKET = 1;

/** Which property message a stock-screen property travels in. */
export type StockPropertyKind = "basic" | "simple" | "cumulative" | "financial";

/**
 * The stock-screen properties the tools offer, by the name the tools use (codes
 * and sources in the module comment). Ratios are fractions (0.05 = 5 %):
 * change_pct, amplitude, turnover_rate, dividend_yield, roe, net_profit_growth.
 * Cumulative properties take a window of `days` trading days; financial ones a
 * `Term` (the tools ask for the annual report).
 */
export const STOCK_PROPERTIES = {
  code: { kind: "basic", code: 1101 },
  name: { kind: "basic", code: 1102 },
  industry: { kind: "basic", code: 1103 },
  price: { kind: "simple", code: 2201 },
  market_cap: { kind: "simple", code: 2301 },
  pe: { kind: "simple", code: 2302 },
  pe_ttm: { kind: "simple", code: 2303 },
  pb: { kind: "simple", code: 2304 },
  dividend_yield: { kind: "simple", code: 2305 },
  change: { kind: "cumulative", code: 3101 },
  change_pct: { kind: "cumulative", code: 3102 },
  amplitude: { kind: "cumulative", code: 3103 },
  avg_volume: { kind: "cumulative", code: 3104 },
  avg_turnover: { kind: "cumulative", code: 3105 },
  turnover_rate: { kind: "cumulative", code: 3106 },
  net_profit: { kind: "financial", code: 4101 },
  net_profit_growth: { kind: "financial", code: 4102 },
  roe: { kind: "financial", code: 4110 },
  eps: { kind: "financial", code: 4801 },
  float_market_cap: { kind: "financial", code: 4903 },
} as const satisfies Record<string, { kind: StockPropertyKind; code: number }>;

/** A stock-screen property name. */
export type StockPropertyName = keyof typeof STOCK_PROPERTIES;

/** The name of a property code, or undefined. */
export function stockPropertyName(kind: StockPropertyKind, code: number): StockPropertyName | undefined {
  return (Object.keys(STOCK_PROPERTIES) as StockPropertyName[]).find((n) =>
    STOCK_PROPERTIES[n].kind === kind && STOCK_PROPERTIES[n].code === code
  );
}

/** `SortDirection` of a stock-screen `Sort`. */
export const STOCK_SORT = { ASC: 1, DESC: 2, ABS_ASC: 3, ABS_DESC: 4 } as const;

/** `Term` of a financial property: the annual report (the only one the simulator models). */
export const TERM_ANNUAL = 100;

/** `valueType` of a stock-screen result: which of sval/ival/aval/dval holds the value. */
export const SCREEN_VALUE_TYPE = { STRING: 1, INT: 2, INT_ARRAY: 3, DOUBLE: 4 } as const;

/** `marketType` of a warrant screen. */
export const WARRANT_MARKET = { HK: 1, SG: 4, MY: 15 } as const;

/** A warrant screen market name. */
export type WarrantMarketName = keyof typeof WARRANT_MARKET;

/** The warrant-screen `FieldId`s the proto documents (code, issuer, underlying, type, latest price). */
export const WARRANT_FIELDS = { code: 1, issuer: 4, underlying: 5, type: 6, price: 8 } as const;

/** A warrant-screen field name. */
export type WarrantFieldName = keyof typeof WARRANT_FIELDS;

/** `warrantType` of a warrant-screen item and the values of its type filter. */
export const WARRANT_SCREEN_TYPE = { CALL: 1, PUT: 2, BULL: 3, BEAR: 4, INLINE: 5 } as const;

/** A warrant-screen type name. */
export type WarrantScreenTypeName = keyof typeof WARRANT_SCREEN_TYPE;

/** `contentType` of a warrant-screen `Choice`. */
export const CHOICE_CONTENT = { NUMBER: 1, TEXT: 2 } as const;
