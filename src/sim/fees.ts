/**
 * What the simulated broker charges for an order, by market, after the
 * published schedules of Futu Securities (HK) and moomoo (US), rounded the way
 * brokers round (cents; HK stamp duty up to a whole dollar). Minimums and caps
 * apply per order, so an order's fees are computed from all its fills so far:
 * each fill is charged the difference (see `_matching.ts`), and the order's
 * fees, the cash it cost and the account's cash flows agree to the cent.
 *
 * Paper accounts pay nothing: OpenD's paper trading has no order fees (2225)
 * and no cash flows (2226) to show them.
 *
 * | market | item | rate |
 * |---|---|---|
 * | HK | Commission | 0.03 % of value, min HKD 3 |
 * | HK | Platform Fee | HKD 15 per order |
 * | HK | Stamp Duty | 0.1 %, rounded up to HKD 1 (stocks; warrants are exempt) |
 * | HK | SFC Levy | 0.0027 % |
 * | HK | AFRC Levy | 0.00015 % |
 * | HK | Trading Fee | 0.00565 %, min HKD 0.01 |
 * | HK | Settlement Fee | 0.002 %, min HKD 2, max HKD 100 |
 * | US (Futu Securities) | Commission | USD 0.0049 per share, min 0.99 (options 0.65 per contract, min 1.99) |
 * | US (Futu Securities) | Platform Fee | USD 0.005 per share, min 1 (options 0.30 per contract) |
 * | US (Futu Securities) | Settlement Fee | USD 0.003 per share (stocks) |
 * | US | SEC Fee | sells: USD 27.80 per million of value, min 0.01 |
 * | US | FINRA TAF | sells: USD 0.000166 per share (0.00279 per contract), min 0.01, max 8.30 |
 * | A-shares (HKCC) | Commission, Platform Fee | as HK, in CNH |
 * | A-shares (HKCC) | Handling Fee / Management Fee / Transfer Fee | 0.00341 % / 0.002 % / 0.001 % |
 * | A-shares (HKCC) | Stamp Duty | sells: 0.05 % |
 *
 * moomoo (Futu Inc) accounts pay no commission or platform fee on US trades: only the SEC fee and FINRA TAF.
 *
 * @module
 */
import type { SimOrder } from "./accounts.ts";
import { multiplierOf } from "./accounts.ts";

/** One charge of an order. */
export interface FeeItem {
  title: string;
  value: number;
}

const cents = (value: number) => Math.round(value * 100 + 1e-9) / 100;
const atLeast = (value: number, min: number) => Math.max(value, min);
const between = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max);

/** The fees of an order's filled part so far (empty for paper accounts and unfilled orders). */
export function orderFees(order: SimOrder): FeeItem[] {
  if (order.account.spec.env !== "REAL" || order.fillQty <= 0) return [];
  const security = order.security;
  const qty = order.fillQty;
  const value = order.fillValue * multiplierOf(security);
  const selling = order.side === "SELL" || order.side === "SELL_SHORT";
  const items: FeeItem[] = [];
  const add = (title: string, amount: number) => {
    if (amount > 0) items.push({ title, value: cents(amount) });
  };
  if (security.market === "HK") {
    add("Commission", atLeast(value * 0.0003, 3));
    add("Platform Fee", 15);
    if (security.kind === "stock") add("Stamp Duty", Math.ceil(value * 0.001 - 1e-9));
    add("SFC Levy", value * 0.000027);
    add("AFRC Levy", value * 0.0000015);
    add("Trading Fee", atLeast(value * 0.0000565, 0.01));
    add("Settlement Fee", between(value * 0.00002, 2, 100));
  } else if (security.market === "US") {
    const option = security.kind === "option";
    if (order.account.spec.securityFirm === "FUTU_SECURITIES") {
      add("Commission", option ? atLeast(qty * 0.65, 1.99) : atLeast(qty * 0.0049, 0.99));
      add("Platform Fee", option ? qty * 0.3 : atLeast(qty * 0.005, 1));
      if (!option) add("Settlement Fee", qty * 0.003);
    }
    if (selling) {
      add("SEC Fee", atLeast(value * 0.0000278, 0.01));
      add("FINRA TAF", between(qty * (option ? 0.00279 : 0.000166), 0.01, 8.3));
    }
  } else {
    add("Commission", atLeast(value * 0.0003, 3));
    add("Platform Fee", 15);
    add("Handling Fee", value * 0.0000341);
    add("Management Fee", value * 0.00002);
    add("Transfer Fee", value * 0.00001);
    if (selling) add("Stamp Duty", value * 0.0005);
  }
  return items;
}

/** The total of fee items, to the cent. */
export function feeTotal(items: readonly FeeItem[]): number {
  return cents(items.reduce((sum, item) => sum + item.value, 0));
}
