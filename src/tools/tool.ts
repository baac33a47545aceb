/**
 * The shape of an MCP tool: one definition holding its name, description,
 * strict input schema, output schema, annotations, toolset, required scope and
 * handler. The types make it impossible to define a tool without a scope and
 * all four annotations, and tie them together: read scopes only go with
 * read-only annotations, and trade tools must say which account they address
 * so that their scope can be decided from the account's real environment.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { defineTool } from "./tool.ts";
 * export const ping = defineTool({
 *   name: "futu_example",
 *   title: "Example",
 *   description: "Says hello.",
 *   toolset: "quote",
 *   scope: "qot:read",
 *   annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
 *   input: z.strictObject({}),
 *   output: z.object({ hello: z.string() }),
 *   run: () => Promise.resolve({ hello: "world" }),
 *   text: (r) => r.hello,
 * });
 * ```
 *
 * @module
 */
import type { z } from "zod";
import type {
  Account,
  ModifyOrderOpName,
  OrderTypeName,
  TradeTarget,
  TrdMarketName,
  TrdSideName,
} from "../gateway/types.ts";
import type { PushMessage } from "../services/push.ts";
import type { WriteCheck } from "./guard.ts";
import type { Services } from "../services/services.ts";

/** The research data toolsets (OpenD 10.x fundamentals, ownership, rankings, options analytics…). */
export const RESEARCH_TOOLSETS = [
  "research",
  "ownership",
  "rankings",
  "options-analytics",
  "technicals",
  "macro",
  "news",
  "event-contracts",
] as const;

/**
 * Groups of tools that `--toolsets` selects (`all` selects every one). The default ones
 * are in `inventory.ts`; the others keep the default tools/list small.
 */
export const TOOLSETS = [
  "quote",
  "account",
  "trade",
  "push",
  "options",
  "warrants",
  "futures",
  "flow",
  "screen",
  "calendar",
  "watchlist",
  "history",
  "margin",
  "system",
  ...RESEARCH_TOOLSETS,
] as const;
/** A toolset name. */
export type Toolset = (typeof TOOLSETS)[number];

/** A session's or connection's push outlet. */
export interface PushSink {
  /** Unique per session or connection. */
  readonly id: string;
  send(push: PushMessage): void;
}

/** Annotations of a tool that only reads. */
export interface ReadOnlyAnnotations {
  readOnlyHint: true;
  destructiveHint: false;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** The annotations of every tool that reads OpenD (the market and accounts outside this process). */
export const READ_OPEND: ReadOnlyAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: true,
};

/** Annotations of a tool that changes something. */
export interface WriteAnnotations {
  readOnlyHint: false;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** What a tool handler can use: the services (never the gateway itself) and the call's own facts. */
export interface ToolContext extends Services {
  /** Where this session's pushes go, when it can receive them. */
  readonly push?: PushSink;
  /** Stable id of the caller (API key id, or "" when no keys are configured): scopes idempotency keys. */
  readonly caller: string;
  /** Whether the caller's key may see an account (its account whitelist). */
  accountVisible(account: Account): boolean;
  /** Reports progress of long operations (paged history). */
  progress(done: number, total?: number, message?: string): void;
  /**
   * Aborts when the client cancels the call: long reads stop between requests to OpenD.
   * A trade write never looks at it once it is sent.
   */
  readonly signal: AbortSignal;
  /** What the access rules would say of a write by this caller, recording nothing (previews). */
  checkWrite(intent: OrderIntent, target: TradeTarget): Promise<WriteCheck>;
}

interface ToolBase<I extends z.ZodType, O extends z.ZodType> {
  /** `futu_*`, unique. */
  name: `futu_${string}`;
  title: string;
  /** What, when, units, an example symbol; safety text first. */
  description: string;
  toolset: Toolset;
  /** Strict input schema (unknown fields are errors). */
  input: I;
  /** Schema of `structuredContent`. */
  output: O;
  /** Short text rendering of the result for clients that show text. */
  text(result: z.output<O>): string;
  /**
   * A tool whose result is a picture: the image content block, sent besides the text, from the result
   * `run` returned (which may hold the image's bytes beside what `output` describes; structuredContent
   * carries only the described fields).
   */
  image?(result: z.output<O>): { data: string; mimeType: string };
  /** Extra accepted argument names → canonical names (besides the common aliases). */
  aliases?: Readonly<Record<string, string>>;
  /** Accounts the call names explicitly (checked against the key's account whitelist). */
  accounts?(args: z.output<I>): string[] | undefined;
}

/** A trade write, as limits and audit see it. */
export interface OrderIntent {
  /** "place", or the modification op. */
  kind: "place" | ModifyOrderOpName;
  symbol?: string;
  side?: TrdSideName;
  orderType?: OrderTypeName;
  /** Total quantity after the write. */
  qty?: number;
  /** Limit price after the write. */
  price?: number;
  auxPrice?: number;
  /** Quantity already filled (modifications). */
  filledQty?: number;
  /** Value of the order's open quantity before the write (modifications). */
  previousValue?: number;
  /** An idempotent repeat: it writes nothing, so it uses no limits. */
  replay?: boolean;
  /** Every market the write reaches when that is more than the target's (cancel-all without a market). */
  markets?: readonly TrdMarketName[];
}

/** A tool that reads quotes or account data. */
export interface ReadTool<I extends z.ZodType, O extends z.ZodType> extends ToolBase<I, O> {
  scope: "qot:read" | "acc:read";
  annotations: ReadOnlyAnnotations;
  /** For account reads: the account, resolved before the key's account whitelist is checked. */
  target?(ctx: ToolContext, args: z.output<I>): Promise<TradeTarget>;
  /**
   * A quote read that also reads an account for some arguments (a chart's position cost): the account
   * then read, or undefined. The key must have acc:read and the account in its whitelist as well as
   * `scope`; `run` gets it as its target.
   */
  accountRead?(ctx: ToolContext, args: z.output<I>): Promise<TradeTarget | undefined>;
  run(ctx: ToolContext, args: z.output<I>, target?: TradeTarget): Promise<z.output<O>>;
}

/** The unlock tool: its own scope, and it changes OpenD's state. */
export interface UnlockTool<I extends z.ZodType, O extends z.ZodType> extends ToolBase<I, O> {
  scope: "trade:unlock";
  annotations: WriteAnnotations;
  run(ctx: ToolContext, args: z.output<I>): Promise<z.output<O>>;
}

/**
 * A tool that trades. Its scope (`trade:simulate` or `trade:real`) comes from
 * the environment of the account it addresses, as OpenD reports it.
 */
export interface TradeTool<I extends z.ZodType, O extends z.ZodType> extends ToolBase<I, O> {
  scope: "trade:by-env";
  annotations: WriteAnnotations;
  /** The account the call addresses, resolved before any check or write. */
  target(ctx: ToolContext, args: z.output<I>): Promise<TradeTarget>;
  /** What the write does, for limits. */
  intent(ctx: ToolContext, args: z.output<I>, target: TradeTarget): Promise<OrderIntent>;
  run(ctx: ToolContext, args: z.output<I>, target: TradeTarget): Promise<z.output<O>>;
}

/**
 * A tool that changes the user's own quote settings at the broker, never an order or money:
 * watchlists and price reminders. Its scope is fixed and is not a trade scope.
 */
export interface SettingsTool<I extends z.ZodType, O extends z.ZodType> extends ToolBase<I, O> {
  scope: "watchlist:write";
  annotations: WriteAnnotations;
  run(ctx: ToolContext, args: z.output<I>): Promise<z.output<O>>;
}

/** Any tool definition. */
export type ToolDefinition<I extends z.ZodType, O extends z.ZodType> =
  | ReadTool<I, O>
  | UnlockTool<I, O>
  | TradeTool<I, O>
  | SettingsTool<I, O>;

/** A defined tool, with its types erased so that tools of every shape fit one registry. */
export type Tool = ToolDefinition<z.ZodType, z.ZodType>;

/**
 * Defines a tool. The generic parameters tie the handler's argument and
 * result types to the schemas.
 */
export function defineTool<I extends z.ZodType, O extends z.ZodType>(definition: ToolDefinition<I, O>): Tool {
  return definition as unknown as Tool;
}

/** True when the tool changes nothing. */
export function isReadOnly(tool: Tool): boolean {
  return tool.annotations.readOnlyHint;
}
