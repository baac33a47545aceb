/**
 * Ownership (shareholders, insiders, institutions, ARK funds, short interest
 * and volume, top brokers): the simulated OpenD's handlers. Every protocol
 * is served from a model, none from the shape-driven generator:
 *
 * - Shareholders, insiders and institutions (`_ownership_holders.ts`,
 *   `_ownership_institutions.ts` over `ownership.ts`): quarterly positions of
 *   the `holders.ts` major holders (so they agree with
 *   `Qot_GetHoldingChangeList`) and of active managers that enter and leave;
 *   shares never exceed the shares outstanding, percentages are shares ÷
 *   `sharesOutstanding`, the overview's top holders and type groups add up
 *   from the positions the detail lists show, institutions' portfolios are
 *   their positions in the market's catalog stocks valued at the quarter's
 *   last close; ids the lists return are accepted, others refused. Insider
 *   trades are the executives' filings, priced inside the day's simulated
 *   high and low.
 * - ARK (`ownership_ark.ts`): ARK's combined trading in the catalog US
 *   stocks, hash-drawn day by day within 10 % of the simulated volume, at the
 *   day's average price; holdings, cycles and dynamics agree.
 * - Short interest, daily short volume, top brokers (`_ownership_short.ts`):
 *   short volume is a share of the simulated day's volume on the simulated
 *   trading days, short interest is days to cover × the 20-day average
 *   volume, the HK brokers of the catalog trade inside the day's volume,
 *   range and turnover.
 *
 * Requests are checked like OpenD: page sizes and enum fields against the
 * ranges the protos state, paging keys, stocks only (HK and US where the data
 * exists), unknown periods, holders and institutions refused.
 *
 * @module
 */
import type { HandlerTable } from "./handlers.ts";
import { HOLDER_HANDLERS } from "./_ownership_holders.ts";
import { INSTITUTION_HANDLERS } from "./_ownership_institutions.ts";
import { SHORT_HANDLERS } from "./_ownership_short.ts";
import { ARK_HANDLERS } from "./ownership_ark.ts";

/** The ownership handlers. */
export const OWNERSHIP_HANDLERS: HandlerTable = {
  ...HOLDER_HANDLERS,
  ...INSTITUTION_HANDLERS,
  ...ARK_HANDLERS,
  ...SHORT_HANDLERS,
};
