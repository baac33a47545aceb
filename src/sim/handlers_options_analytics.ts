/**
 * Options analytics (volatility, exercise probability, quotes, strategies, statistics and ranks, option events, 0DTE, earnings and seller screeners): the simulated OpenD's handlers. Until a handler models its data on
 * the simulated market, it serves data generated from the protocol's shape.
 *
 * @module
 */
import { INSIGHT_FAMILIES } from "../gateway/insight_api.ts";
import { generatedHandler } from "./_generated_handler.ts";
import type { HandlerTable } from "./handlers.ts";

/** The options analytics handlers. */
export const OPTIONS_ANALYTICS_HANDLERS: HandlerTable = Object.fromEntries(
  INSIGHT_FAMILIES.options.map((protocol) => [protocol, generatedHandler(protocol)]),
);
