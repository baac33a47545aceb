/**
 * Rankings and market breadth (movers, hot lists, period change, dividend and earnings ranks, heat map, rise/fall distribution, industrial chains): the simulated OpenD's handlers. Until a handler models its data on
 * the simulated market, it serves data generated from the protocol's shape.
 *
 * @module
 */
import { INSIGHT_FAMILIES } from "../gateway/insight_api.ts";
import { generatedHandler } from "./_generated_handler.ts";
import type { HandlerTable } from "./handlers.ts";

/** The rankings handlers. */
export const RANKING_HANDLERS: HandlerTable = Object.fromEntries(
  INSIGHT_FAMILIES.rankings.map((protocol) => [protocol, generatedHandler(protocol)]),
);
