/**
 * Trade commands: `preview-order`, `place-order`, `modify-order`, `cancel-order`, `cancel-all`. Simulated
 * unless `--env real`; a write to a REAL account (as OpenD reports the
 * account, whatever `--env` says) is refused without `--confirm`. A write
 * whose outcome is unknown exits 6 and is never retried.
 *
 * @module
 */
import { Command } from "commander";
import { MODIFY_ORDER_OP, ORDER_TYPE, SESSION, TIME_IN_FORCE, TRAIL_TYPE, TRD_SIDE } from "../../src/gateway/types.ts";
import { emit, globalsOf, numberArg } from "../common.ts";
import { withGateway } from "../runtime.ts";
import { render } from "../output.ts";
import { accountArgs, type AccountOptions, withAccount } from "./account.ts";
import { type OrderPreview, previewText } from "../../src/tools/order_preview.ts";

interface WriteOptions extends AccountOptions {
  confirm?: boolean;
}

interface PriceOptions {
  price?: number;
  auxPrice?: number;
  trailType?: string;
  trailValue?: number;
  trailSpread?: number;
}

const ABOVE_0 = { min: "above 0" } as const;
/** Shares or contracts: the same rule for a new order's `<qty>` and a modification's `--qty`. */
const QUANTITY = { integer: true, min: "above 0" } as const;

function withWrite(command: Command): Command {
  return withAccount(command)
    // No --idempotency-key: futu-mcp's replay cache lives in one process, and each futucli run is a new one, so a
    // repeated key would not stop a second order. A write whose outcome is unknown exits 6 instead: check orders.
    .option("--confirm", "required for a REAL account: this is real money");
}

function withPrices(command: Command): Command {
  return command
    .option("--price <p>", "limit price", numberArg("--price", ABOVE_0))
    .option("--aux-price <p>", "trigger price (stop / if-touched)", numberArg("--aux-price", ABOVE_0))
    .option("--trail-type <type>", TRAIL_TYPE.names.join(", "))
    .option("--trail-value <v>", "trail amount or percent", numberArg("--trail-value", ABOVE_0))
    .option("--trail-spread <v>", "trailing limit spread", numberArg("--trail-spread", { min: "0 or more" }));
}

function priceArgs(options: PriceOptions): Record<string, unknown> {
  const args: Record<string, unknown> = {
    price: options.price,
    aux_price: options.auxPrice,
    trail_type: options.trailType,
    trail_value: options.trailValue,
    trail_spread: options.trailSpread,
  };
  return Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined));
}

function writeArgs(options: WriteOptions): Record<string, unknown> {
  return accountArgs(options);
}

async function runWrite(cmd: Command, options: WriteOptions, tool: string, args: Record<string, unknown>) {
  const result = await withGateway(
    globalsOf(cmd),
    { confirmReal: options.confirm === true },
    (session) => session.call(tool, args),
  );
  // The status is what OpenD lists for the order right after the write; when it lists nothing, say where to look.
  emit(cmd, result, () =>
    render(result, "table") +
    (result.status === undefined
      ? `status: not reported; futucli orders --order-id ${result.order_id} shows it\n`
      : ""));
}

function placeOrderCommand(): Command {
  return withPrices(withWrite(
    new Command("place-order")
      .description("place an order (simulated unless --env real --confirm)")
      .argument("<symbol>", 'e.g. "HK.00700"')
      .argument("<side>", TRD_SIDE.names.join(", "))
      .argument("<qty>", "quantity in shares (contracts for options)", numberArg("<qty>", QUANTITY))
      .option("--type <order_type>", ORDER_TYPE.names.join(", "), "NORMAL")
      .option("--time-in-force <tif>", TIME_IN_FORCE.names.join(", "))
      .option("--session <session>", SESSION.names.filter((n) => n !== "NONE").join(", "))
      .option("--fill-outside-rth", "US: may fill outside regular trading hours")
      .option("--remark <text>", "order remark"),
  )).action(
    async (
      symbol: string,
      side: string,
      qty: number,
      options: WriteOptions & PriceOptions & {
        type: string;
        timeInForce?: string;
        session?: string;
        fillOutsideRth?: boolean;
        remark?: string;
      },
      cmd: Command,
    ) => {
      await runWrite(cmd, options, "futu_place_order", {
        symbol,
        side: side.toUpperCase(),
        qty,
        order_type: options.type,
        ...priceArgs(options),
        ...(options.timeInForce ? { time_in_force: options.timeInForce } : {}),
        ...(options.session ? { session: options.session } : {}),
        ...(options.fillOutsideRth ? { fill_outside_rth: true } : {}),
        ...(options.remark ? { remark: options.remark } : {}),
        ...writeArgs(options),
      });
    },
  );
}

function previewOrderCommand(): Command {
  return withAccount(
    new Command("preview-order")
      .description("what place-order would do, placing nothing: notional, the key's limits, what would refuse it")
      .argument("<symbol>", 'e.g. "HK.00700"')
      .argument("<side>", TRD_SIDE.names.join(", "))
      .argument("<qty>", "quantity in shares (contracts for options)", numberArg("<qty>", QUANTITY))
      .option("--type <order_type>", ORDER_TYPE.names.join(", "), "NORMAL")
      .option("--price <p>", "limit price", numberArg("--price", ABOVE_0))
      .option("--aux-price <p>", "trigger price (stop / if-touched)", numberArg("--aux-price", ABOVE_0)),
  ).action(
    async (
      symbol: string,
      side: string,
      qty: number,
      options: AccountOptions & PriceOptions & { type: string },
      cmd,
    ) => {
      const result = await withGateway(globalsOf(cmd), {}, (session) =>
        session.call("futu_preview_order", {
          symbol,
          side: side.toUpperCase(),
          qty,
          order_type: options.type,
          ...priceArgs({ price: options.price, auxPrice: options.auxPrice }),
          ...accountArgs(options),
        }));
      emit(cmd, result, () => `${previewText(result as OrderPreview)}\n`);
    },
  );
}

function modifyOrderCommand(): Command {
  return withPrices(withWrite(
    new Command("modify-order")
      .description("change, cancel, disable, enable or delete an order")
      .argument("<order-id>")
      .option("--op <op>", MODIFY_ORDER_OP.names.join(", "), "NORMAL")
      .option("--qty <n>", "new quantity", numberArg("--qty", QUANTITY)),
  )).action(async (orderId: string, options: WriteOptions & PriceOptions & { op: string; qty?: number }, cmd) => {
    await runWrite(cmd, options, "futu_modify_order", {
      order_id: orderId,
      op: options.op.toUpperCase(),
      ...(options.qty !== undefined ? { qty: options.qty } : {}),
      ...priceArgs(options),
      ...writeArgs(options),
    });
  });
}

function cancelOrderCommand(): Command {
  return withWrite(new Command("cancel-order").description("cancel an order").argument("<order-id>"))
    .action(async (orderId: string, options: WriteOptions, cmd: Command) => {
      await runWrite(cmd, options, "futu_cancel_order", { order_id: orderId, ...writeArgs(options) });
    });
}

function cancelAllCommand(): Command {
  return withWrite(
    new Command("cancel-all").description("cancel every open order of an account (all its markets unless --market)"),
  ).action(async (options: WriteOptions, cmd: Command) => {
    const result = await withGateway(
      globalsOf(cmd),
      { confirmReal: options.confirm === true },
      (session) => session.call("futu_cancel_all_order", writeArgs(options)),
    );
    emit(cmd, result);
  });
}

/** The trade commands. */
export function tradeCommands(): Command[] {
  return [previewOrderCommand(), placeOrderCommand(), modifyOrderCommand(), cancelOrderCommand(), cancelAllCommand()];
}
