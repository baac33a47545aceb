/**
 * Company fundamentals (profile, financials, earnings reactions, analyst research, valuation, corporate actions, search): the simulated OpenD's handlers. Until a handler models its data on
 * the simulated market, it serves data generated from the protocol's shape.
 *
 * @module
 */
import { INSIGHT_FAMILIES } from "../gateway/insight_api.ts";
import { generatedHandler } from "./_generated_handler.ts";
import type { HandlerTable } from "./handlers.ts";

/** The fundamentals handlers. */
export const FUNDAMENTAL_HANDLERS: HandlerTable = Object.fromEntries(
  INSIGHT_FAMILIES.fundamentals.map((protocol) => [protocol, generatedHandler(protocol)]),
);
