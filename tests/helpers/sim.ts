/**
 * Test helpers: a simulator on a free loopback port with a market clock in
 * HK trading hours, and a gateway connected to it.
 *
 * @module
 */
import { Gateway, type OpenDClientOptions } from "../../src/gateway/mod.ts";
import { ManualClock } from "../../src/sim/clock.ts";
import { type SimOptions, SimServer } from "../../src/sim/server.ts";

/** Thursday 2026-11-26 10:30 in Hong Kong (02:30 UTC): HK, SH and SZ trade; the US is closed. */
export const HK_MORNING = Date.parse("2026-11-26T02:30:00Z");
/** Wednesday 2026-11-25 10:30 in New York (15:30 UTC): only the US trades (the 26th is Thanksgiving). */
export const US_MORNING = Date.parse("2026-11-25T15:30:00Z");

/** Starts a simulator with a manual clock (default: HK morning) on a free port. */
export async function startSim(
  options: SimOptions & { at?: number } = {},
): Promise<SimServer & { clock: ManualClock }> {
  const clock = new ManualClock(options.at ?? HK_MORNING);
  const sim = await SimServer.start({ port: 0, tickMs: 50, clock, ...options });
  return Object.assign(sim, { clock });
}

/** Connects a gateway to a simulator. */
export function connect(sim: SimServer, options: Partial<OpenDClientOptions> = {}): Promise<Gateway> {
  return Gateway.connect({ gateway: sim.address, reconnect: { initialDelayMs: 20, maxDelayMs: 200 }, ...options });
}

/** Resolves when `predicate` holds, polling every 10 ms; rejects after `timeoutMs`. */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 3000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A paper account target of the default accounts. */
export const PAPER_HK = { accId: "6234567", env: "SIMULATE", market: "HK" } as const;
/** The paper US account. */
export const PAPER_US = { accId: "6234568", env: "SIMULATE", market: "US" } as const;
/** The real HK universal account (holds 500 HK.00700). */
export const REAL_HK = { accId: "281756479345015383", env: "REAL", market: "HK" } as const;
/** The real US account, id 2^53 + 1 (not exact as a JS number). */
export const REAL_US = { accId: "9007199254740993", env: "REAL", market: "US" } as const;
