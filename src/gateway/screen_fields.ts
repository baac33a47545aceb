/**
 * The numeric vocabulary of the V2 screens (Qot_StockScreen, Qot_WarrantScreen)
 * that the protos carry as plain `int32` and document only in comments (their
 * enums live in Futu's backend protos, which OpenD does not ship). Only codes
 * the pinned protos state are named here; a code they do not state is not
 * guessed. Qot_OptionScreen's vocabulary is generated (`Qot_OptionScreen_*`).
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
 * The stock-screen properties the protos document, by the name the tools use:
 * `PropertyNameBasic` 1101–1103, `PropertyNameSimple` 2201 (price) and 2301
 * (market cap), `PropertyNameCumulative` 3101 (change) and 3102 (change rate, a
 * fraction: 0.05 = 5 %), `PropertyNameFinancial` 4101 (net profit) and 4102
 * (net profit growth).
 */
export const STOCK_PROPERTIES = {
  code: { kind: "basic", code: 1101 },
  name: { kind: "basic", code: 1102 },
  industry: { kind: "basic", code: 1103 },
  price: { kind: "simple", code: 2201 },
  market_cap: { kind: "simple", code: 2301 },
  change: { kind: "cumulative", code: 3101 },
  change_pct: { kind: "cumulative", code: 3102 },
  net_profit: { kind: "financial", code: 4101 },
  net_profit_growth: { kind: "financial", code: 4102 },
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
