/**
 * The simulated futures' contract months. A main contract of the catalog
 * (`HK.HSImain`) stands for the contract nearest to expiry; its monthly
 * contracts (`HK.HSI2612`: root, YYMM) resolve from their code, and the ones
 * listed at an instant are the spot month, the next month and the next two
 * quarter months, as on HKFE. HKFE's last trading day is the second-to-last
 * trading day of the contract month.
 *
 * The simulator models no term structure: every contract month trades on its
 * main contract's price path (the same catalog number, see `securityIndex`).
 *
 * @module
 */
import type { SimSecurity } from "./catalog.ts";
import { type DayNumber, tradingDayAtOrBefore } from "./clock.ts";

const CODE = /^([A-Z]{2,4})(\d{2})(\d{2})$/;

function dayOf(year: number, month: number, date: number): DayNumber {
  return Math.floor(Date.UTC(year, month - 1, date) / 86_400_000);
}

function isoOf(day: DayNumber): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** The last trading day of a contract month. */
export function lastTradeDay(main: SimSecurity, year: number, month: number): DayNumber {
  const last = tradingDayAtOrBefore(main.market, dayOf(year, month + 1, 1) - 1);
  return tradingDayAtOrBefore(main.market, last - 1);
}

/** A contract month of a main contract, as a security; `root` + YYMM. */
function monthContract(main: SimSecurity, year: number, month: number): SimSecurity {
  const yymm = `${String(year % 100).padStart(2, "0")}${String(month).padStart(2, "0")}`;
  const code = `${main.futureRoot}${yymm}`;
  return {
    ...main,
    symbol: `${main.market}.${code}`,
    code,
    name: `${main.name.replace(/ MAIN$/, "")} ${yymm}`,
    isMainContract: false,
    lastTradeDate: isoOf(lastTradeDay(main, year, month)),
  };
}

/** The contract month a code names on one of `mains`, or undefined. */
export function futureContractOf(market: string, code: string, mains: readonly SimSecurity[]): SimSecurity | undefined {
  const match = CODE.exec(code);
  if (!match) return undefined;
  const main = mains.find((m) => m.market === market && m.futureRoot === match[1]);
  const month = Number(match[3]);
  if (!main || month < 1 || month > 12) return undefined;
  return monthContract(main, 2000 + Number(match[2]), month);
}

/** The contract months of a main contract listed on a local day: spot, next, and the next two quarter months. */
export function listedContracts(main: SimSecurity, today: DayNumber): { year: number; month: number }[] {
  const date = new Date(today * 86_400_000);
  let year = date.getUTCFullYear();
  let month = date.getUTCMonth() + 1;
  if (lastTradeDay(main, year, month) < today) [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  const out = [{ year, month }];
  const next = () => {
    [year, month] = month === 12 ? [year + 1, 1] : [year, month + 1];
  };
  next();
  out.push({ year, month });
  while (out.length < 4) {
    next();
    if (month % 3 === 0) out.push({ year, month });
  }
  return out;
}

/** The contract the main contract stands for on a local day (the spot month). */
export function spotContract(main: SimSecurity, today: DayNumber): { year: number; month: number } {
  return listedContracts(main, today)[0];
}

/** The code of a contract month. */
export function contractCode(main: SimSecurity, contract: { year: number; month: number }): string {
  return `${main.futureRoot}${String(contract.year % 100).padStart(2, "0")}${String(contract.month).padStart(2, "0")}`;
}
