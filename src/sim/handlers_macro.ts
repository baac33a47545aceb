/**
 * Macro and news (earnings, dividend and economic calendars, macro indicators, FedWatch, suspensions, news search): the simulated OpenD's handlers. Until a handler models its data on
 * the simulated market, it serves data generated from the protocol's shape.
 *
 * @module
 */
import { INSIGHT_FAMILIES } from "../gateway/insight_api.ts";
import { generatedHandler } from "./_generated_handler.ts";
import type { HandlerTable } from "./handlers.ts";

/** The macro handlers. */
export const MACRO_HANDLERS: HandlerTable = Object.fromEntries(
  INSIGHT_FAMILIES.macro.map((protocol) => [protocol, generatedHandler(protocol)]),
);
