/**
 * Event contracts (categories, series, events, contracts, quotes, order books, K-lines, combos): the simulated OpenD's handlers. Until a handler models its data on
 * the simulated market, it serves data generated from the protocol's shape.
 *
 * @module
 */
import { INSIGHT_FAMILIES } from "../gateway/insight_api.ts";
import { generatedHandler } from "./_generated_handler.ts";
import type { HandlerTable } from "./handlers.ts";

/** The event contracts handlers. */
export const EVENT_CONTRACT_HANDLERS: HandlerTable = Object.fromEntries(
  INSIGHT_FAMILIES.eventContracts.map((protocol) => [protocol, generatedHandler(protocol)]),
);
