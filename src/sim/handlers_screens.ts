/**
 * Stock, option and warrant screens and technical indicators: the simulated
 * OpenD's handlers. Until a handler models its data on the simulated market,
 * it serves data generated from the protocol's shape.
 *
 * @module
 */
import { INSIGHT_FAMILIES } from "../gateway/insight_api.ts";
import { generatedHandler } from "./_generated_handler.ts";
import type { HandlerTable } from "./handlers.ts";

/** The screen and indicator handlers. */
export const SCREEN_HANDLERS: HandlerTable = Object.fromEntries(
  INSIGHT_FAMILIES.screens.map((protocol) => [protocol, generatedHandler(protocol)]),
);
