/**
 * The single entry point of every tool call, whatever the transport:
 * tool lookup, the caller's key, argument validation, scope, limits, audit,
 * metrics, the handler, and the mapping of failures to tool errors. The access
 * rules themselves live behind {@link AccessControl}.
 *
 * @module
 */
import { z } from "zod";
import type { Account, TradeTarget } from "../gateway/types.ts";
import { type ConfirmMode, type Scope, tradeScope } from "./scopes.ts";
import { normaliseAliases } from "./args.ts";
import { ERROR_CODES, type ErrorCode, ToolError, toToolError } from "./errors.ts";
import type { OrderIntent, PushSink, Tool, ToolContext } from "./tool.ts";
import { type ConfirmationRequired, confirmationText, orderPreview, previewText } from "./order_preview.ts";
import type { PushChannel, PushMessage } from "../services/push.ts";
import type { Services } from "../services/services.ts";

/** What the transport knows about a call. */
export interface CallMeta {
  /** Where pushes to this session go (MCP notifications, a WebSocket). */
  push?: PushSink;
  /** Which transport carried it: HTTP calls never fall back to the startup key. */
  transport?: "stdio" | "http";
  /** The `Authorization` header's bearer token (HTTP). */
  bearer?: string;
  /** The MCP session, when there is one. */
  sessionId?: string;
  /** Reports progress to the client, when it asked for it. */
  progress?: (done: number, total?: number, message?: string) => void;
  /** Aborts when the client cancels the call. */
  signal?: AbortSignal;
  /**
   * Asks the person at the client to confirm a REAL-account write (MCP form elicitation); absent when the
   * client cannot ask. Must resolve (never reject): anything but "accept" leaves the write unsent.
   */
  confirm?: (request: { message: string; signal: AbortSignal }) => Promise<ConfirmAnswer>;
}

/** A person's answer to a confirmation request ("timeout": no answer in time; "cancelled": the call was). */
export type ConfirmAnswer = "accept" | "decline" | "cancel" | "timeout" | "cancelled" | "failed";

/** What a write would use of a key's limits (the caps it has, and where it stands). */
export interface LimitUse {
  /** The order's value after the write, in `currency`, as the limits value it. */
  value?: number;
  currency?: string;
  perOrderCap?: number;
  dailyCap?: number;
  /** Today's committed and in-flight value in `currency`, before this write. */
  dailyUsed?: number;
  /** …and after it. */
  dailyAfter?: number;
  ordersPerMinuteCap?: number;
  /** Order writes in the last 60 s, before this one. */
  ordersLastMinute?: number;
  collarPct?: number;
  /** The key's trading hours and their time zone. */
  hoursWindow?: string;
}

/** The access rules' verdict on a write, without making it (a preview). */
export interface WriteCheck {
  /** The rules that would refuse it (scope, account, kill switch, a limit); empty when it may go. */
  refusals: { code: ErrorCode; message: string }[];
  /** What it would use of the key's limits. */
  limits: LimitUse;
  /** How a person confirms it ("none" for paper trading, whose writes need no confirmation). */
  confirm: ConfirmMode;
}

/** The signal of a call nobody can cancel. */
const NEVER_ABORTED = new AbortController().signal;

/** Who is calling, as access control decided. */
export interface Caller {
  /** Key id, or "" when no keys are configured. */
  readonly id: string;
}

/** The outcome of a call, for audit and metrics. */
export type Outcome = "request" | "success" | "failure" | "unknown" | "rejected";

/** What a call addresses, for the account whitelist. */
export interface Subject {
  /** The account the call reads or trades. */
  target?: TradeTarget;
  /** Accounts the call names explicitly (unlock). */
  accIds?: string[];
}

/** A reserved write: commit once OpenD accepted it (or may have), release when it was refused. */
export interface WriteReservation {
  commit(): Promise<void>;
  release(): Promise<void>;
}

/** The reservation of a write that no limit counts. */
export const NO_RESERVATION: WriteReservation = { commit: () => Promise.resolve(), release: () => Promise.resolve() };

/** The access rules. The default ({@link OPEN_ACCESS}) lets every call through. */
export interface AccessControl {
  /** The caller: from the per-call `api_key`, else the transport's bearer, else the startup key. */
  identify(tool: Tool, apiKey: string | undefined, meta: CallMeta): Promise<Caller>;
  /** Before anything is looked up: may this caller use this tool at all? */
  admit(caller: Caller, tool: Tool): void;
  /** The exact scope the call needs (trade tools: from the account's real environment), and its accounts. */
  authorize(caller: Caller, tool: Tool, scope: Scope, subject: Subject): Promise<void>;
  /** Checks the kill switch and the key's limits, and reserves the write. */
  reserve(caller: Caller, tool: Tool, intent: OrderIntent, target: TradeTarget): Promise<WriteReservation>;
  /** The accounts this caller may see. */
  accountVisible(caller: Caller, account: Account): boolean;
  /** At dispatch: may this channel's key (still) receive this push? Drops are counted. */
  mayReceive(channel: PushChannel, push: PushMessage): Promise<boolean>;
  /** Records a call's outcome (audit log, metrics). Throws for a "before" record that cannot be kept: the write is refused. */
  record(event: CallRecord): void;
  /** What the rules would say of a write, recording nothing (previews). */
  checkWrite(caller: Caller, scope: Scope, intent: OrderIntent, target: TradeTarget): Promise<WriteCheck>;
  /** How this caller's REAL-account writes are confirmed by a person. */
  confirmMode(caller: Caller): ConfirmMode;
  /** A confirmation token for exactly this write (`request`: the account and every argument). */
  issueConfirmToken(caller: Caller, tool: string, request: Record<string, unknown>): Promise<{
    token: string;
    expiresAt: number;
  }>;
  /** Uses a confirmation token up; throws a ToolError unless it was issued to this caller for exactly this write. */
  redeemConfirmToken(caller: Caller, tool: string, request: Record<string, unknown>, token: string): Promise<void>;
}

/** One finished call. */
export interface CallRecord {
  tool: string;
  caller?: Caller;
  outcome: Outcome;
  /** Error code, when it failed. */
  code?: ErrorCode;
  message?: string;
  durationMs: number;
  scope?: Scope;
  target?: TradeTarget;
  args?: unknown;
  /** Whether an idempotent repeat was answered from the cache. */
  replayed?: boolean;
  /** "before" for the record written before a trade write runs. */
  phase?: "before" | "after";
}

/** Lets everything through and records nothing. */
export const OPEN_ACCESS: AccessControl = {
  identify: () => Promise.resolve({ id: "" }),
  admit: () => {},
  authorize: () => Promise.resolve(),
  reserve: () => Promise.resolve(NO_RESERVATION),
  accountVisible: () => true,
  mayReceive: () => Promise.resolve(true),
  record: () => {},
  checkWrite: () => Promise.resolve({ refusals: [], limits: {}, confirm: "none" }),
  confirmMode: () => "none",
  issueConfirmToken: () =>
    Promise.reject(new ToolError("internal", "internal error: no confirmation tokens without access rules")),
  redeemConfirmToken: () => Promise.resolve(),
};

/** A tool result in MCP's shape. */
export interface ToolResult {
  [key: string]: unknown;
  /** The text first; a picture's image block after it. */
  content: [{ type: "text"; text: string }, ...{ type: "image"; data: string; mimeType: string }[]];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/** Why a tool is not offered, for the "unknown tool" message. */
export type Hidden = ReadonlyMap<string, string>;

/** A tool error as an MCP tool result: JSON text with the message, the code and a hint. */
export function errorResult(error: ToolError): ToolResult {
  const body: Record<string, string> = { error: error.message, code: error.code, status: "error" };
  if (error.hint) body.hint = error.hint;
  return { content: [{ type: "text", text: JSON.stringify(body) }], isError: true };
}

function describeIssues(issues: z.core.$ZodIssue[], input: unknown): string {
  return issues.map((i) => {
    if (i.code === "unrecognized_keys") {
      return i.keys.map((k) => `unknown field "${[...i.path, k].join(".")}"`).join("; ");
    }
    const where = i.path.length > 0 ? `${i.path.join(".")}: ` : "";
    // zod 4 leaves the offending input out of its issues: look it up, so that a field of the wrong
    // type gets zod's "expected string, received number" rather than "required".
    if (i.code === "invalid_type" && valueAt(input, i.path) === undefined) return `${where}required`;
    return `${where}${i.message}`;
  }).join("; ");
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

/** Why a write the person did not accept was not made. */
const NOT_CONFIRMED: Record<Exclude<ConfirmAnswer, "accept">, string> = {
  decline: "the user declined this REAL order",
  cancel: "the user dismissed the confirmation of this REAL order",
  timeout: "the user did not answer the confirmation of this REAL order in time",
  cancelled: "the call was cancelled while the user was asked to confirm this REAL order",
  failed: "the client could not ask the user to confirm this REAL order",
};

/** See the module documentation. */
export class ToolGuard {
  readonly #tools: Map<string, Tool>;
  readonly #hidden: Hidden;
  readonly #services: Services;
  readonly #access: AccessControl;
  readonly #log: (message: string) => void;
  readonly #checkOutput: boolean;

  constructor(options: {
    tools: readonly Tool[];
    hidden?: Hidden;
    services: Services;
    access?: AccessControl;
    log?: (message: string) => void;
    /**
     * Check every result against its tool's output schema (default: yes). The results are built by our own code
     * from typed gateway replies, so futu-mcp checks them in tests (FUTU_CHECK_OUTPUT=1) rather than on every
     * production call; the arguments, which come from the model, are always validated.
     */
    checkOutput?: boolean;
  }) {
    this.#tools = new Map(options.tools.map((t) => [t.name, t]));
    this.#hidden = options.hidden ?? new Map();
    this.#services = options.services;
    this.#access = options.access ?? OPEN_ACCESS;
    this.#log = options.log ?? ((m) => console.error(m));
    this.#checkOutput = options.checkOutput ?? true;
  }

  /** The exposed tools, in listing order. */
  get tools(): Tool[] {
    return [...this.#tools.values()];
  }

  /** An exposed tool by name. */
  tool(name: string): Tool | undefined {
    return this.#tools.get(name);
  }

  /** Runs one tool call through every check. Never throws: failures are tool errors. */
  async call(name: string, rawArgs: unknown, meta: CallMeta = {}): Promise<ToolResult> {
    const started = performance.now();
    const tool = this.#tools.get(name);
    if (!tool) {
      const why = this.#hidden.get(name);
      return errorResult(new ToolError("unknown_tool", `unknown MCP tool "${name}"${why ? ` (${why})` : ""}`));
    }
    let caller: Caller | undefined;
    let scope: Scope | undefined;
    let target: TradeTarget | undefined;
    let args: unknown;
    let reservation: WriteReservation | undefined;
    let writeSent = false;
    const finish = (outcome: Outcome, extra: Partial<CallRecord> = {}) =>
      this.#access.record({
        tool: name,
        caller,
        outcome,
        durationMs: performance.now() - started,
        scope,
        target,
        args,
        phase: tool.scope === "trade:by-env" ? "after" : undefined,
        ...extra,
      });
    try {
      if (rawArgs !== undefined && (typeof rawArgs !== "object" || rawArgs === null || Array.isArray(rawArgs))) {
        throw new ToolError("invalid_arguments", "arguments must be a JSON object");
      }
      const { api_key: apiKey, ...rest } = (rawArgs ?? {}) as Record<string, unknown>;
      if (apiKey !== undefined && typeof apiKey !== "string") {
        throw new ToolError("invalid_arguments", "api_key must be a string");
      }
      caller = await this.#access.identify(tool, apiKey === "" ? undefined : apiKey, meta);
      this.#access.admit(caller, tool);
      args = this.#parse(tool, rest);
      const who = caller;
      const ctx: ToolContext = {
        ...this.#services,
        caller: who.id,
        accountVisible: (account) => this.#access.accountVisible(who, account),
        checkWrite: (intent, target) => this.#access.checkWrite(who, tradeScope(target.env), intent, target),
        push: meta.push,
        progress: (done, total, message) => meta.progress?.(done, total, message),
        signal: meta.signal ?? NEVER_ABORTED,
      };
      // A call the client cancelled before it started sends nothing.
      if (ctx.signal.aborted) throw new DOMException("cancelled", "AbortError");
      let result: unknown;
      if (tool.scope === "trade:by-env") {
        target = await tool.target(ctx, args);
        scope = tradeScope(target.env);
        await this.#access.authorize(caller, tool, scope, { target });
        const intent = await tool.intent(ctx, args, target);
        const confirmation = await this.#confirm(tool, who, ctx, meta, args as Record<string, unknown>, intent, target);
        if (confirmation.pending) {
          finish("rejected", {
            code: "confirmation_required",
            message: "a confirm_token was issued; nothing was sent",
          });
          return {
            content: [{ type: "text", text: confirmationText(name, confirmation.pending) }],
            structuredContent: confirmation.pending,
          };
        }
        reservation = confirmation.reservation ?? await this.#access.reserve(caller, tool, intent, target);
        // The last moment a write can still be dropped: once sent, a cancellation no longer stops it.
        if (ctx.signal.aborted) throw new DOMException("cancelled", "AbortError");
        this.#access.record({
          tool: name,
          caller,
          outcome: "request",
          durationMs: 0,
          scope,
          target,
          args,
          phase: "before",
        });
        writeSent = true;
        result = await tool.run(ctx, args, target);
        // A repeat answered from another call's record (running when this one was checked) wrote nothing.
        const wrote = (result as { replayed?: unknown }).replayed !== true;
        await (wrote ? reservation.commit() : reservation.release()).catch((err) => this.#unsettled(name, err));
        reservation = undefined;
      } else {
        scope = tool.scope;
        if (tool.scope === "trade:unlock" || tool.scope === "watchlist:write") {
          await this.#access.authorize(caller, tool, scope, { accIds: tool.accounts?.(args) });
          result = await tool.run(ctx, args);
        } else {
          target = tool.target ? await tool.target(ctx, args) : undefined;
          await this.#access.authorize(caller, tool, scope, { target, accIds: tool.accounts?.(args) });
          const account = tool.scope === "qot:read" ? await tool.accountRead?.(ctx, args) : undefined;
          if (account) {
            target = account;
            await this.#access.authorize(caller, tool, "acc:read", { target });
          }
          result = await tool.run(ctx, args, target);
        }
      }
      // The fields the output schema describes: a picture's bytes travel only in its image block.
      const checked = this.#checkOutput || tool.image ? this.#checked(tool, result) : result;
      const structured = (tool.image ? checked : result) as Record<string, unknown>;
      finish("success", { replayed: structured.replayed === true ? true : undefined });
      const text = { type: "text" as const, text: tool.text(result as never) };
      if (!tool.image) return { content: [text], structuredContent: structured };
      return { content: [text, { type: "image", ...tool.image(result as never) }], structuredContent: structured };
    } catch (err) {
      const error = toToolError(err);
      if (reservation) {
        // An unknown outcome may have placed the order: it counts against the limits.
        const settle = writeSent && error.code === "outcome_unknown" ? reservation.commit() : reservation.release();
        await settle.catch((err) => this.#unsettled(name, err));
      }
      if (error.code === "internal" && !(err instanceof ToolError)) {
        this.#log(`futu-mcp: ${name} failed: ${(err as Error)?.stack ?? err}`);
      }
      const outcome: Outcome = error.code === "outcome_unknown"
        ? "unknown"
        : ERROR_CODES[error.code].refusal
        ? "rejected"
        : "failure";
      finish(outcome, { code: error.code, message: error.message });
      return errorResult(error);
    }
  }

  /**
   * A person's confirmation of a REAL-account write, by the key's mode: a redeemed confirm_token; or the
   * client asking the user (the limits are reserved first, so that what the person accepts is not refused
   * after); or, when the client cannot ask, a preview with a new confirm_token and nothing sent.
   */
  async #confirm(
    tool: Tool,
    caller: Caller,
    ctx: ToolContext,
    meta: CallMeta,
    args: Record<string, unknown>,
    intent: OrderIntent,
    target: TradeTarget,
  ): Promise<{ reservation?: WriteReservation; pending?: ConfirmationRequired }> {
    const mode = target.env === "REAL" && !intent.replay ? this.#access.confirmMode(caller) : "none";
    if (mode === "none") return {};
    const { confirm_token: token, ...rest } = args;
    const request = { ...rest, acc_id: target.accId, env: target.env, market: target.market };
    if (typeof token === "string") {
      await this.#access.redeemConfirmToken(caller, tool.name, request, token);
      return {};
    }
    const check = await this.#access.checkWrite(caller, tradeScope(target.env), intent, target);
    if (check.refusals.length > 0) {
      // Refused before anyone is asked: reserving runs the same checks, and audits and counts the refusal.
      await (await this.#access.reserve(caller, tool, intent, target)).release();
      throw new ToolError(check.refusals[0].code, check.refusals[0].message);
    }
    const preview = await orderPreview(ctx, intent, target, check);
    if (mode === "token" || !meta.confirm) {
      const issued = await this.#access.issueConfirmToken(caller, tool.name, request);
      return {
        pending: {
          status: "confirmation_required",
          confirm_token: issued.token,
          expires_at: new Date(issued.expiresAt).toISOString(),
          preview,
        },
      };
    }
    const reservation = await this.#access.reserve(caller, tool, intent, target);
    const answer = await meta.confirm({ message: previewText(preview), signal: ctx.signal });
    if (answer !== "accept") {
      await reservation.release();
      throw new ToolError("not_confirmed", `${NOT_CONFIRMED[answer]}: nothing was sent to OpenD`);
    }
    return { reservation };
  }

  /**
   * A reservation that could not be committed or released (the shared state went away after the write): logged;
   * the store drops it after its TTL. The write's own outcome stands.
   */
  #unsettled(tool: string, err: unknown): void {
    this.#log(`futu-mcp: ${tool}: the limits could not record this write: ${(err as Error)?.message ?? err}`);
  }

  /** The result as its output schema describes it, or an internal error (logged) when it does not match. */
  #checked(tool: Tool, result: unknown): unknown {
    const checked = tool.output.safeParse(result);
    if (checked.success) return checked.data;
    this.#log(
      `futu-mcp: ${tool.name} produced a result outside its output schema: ${
        describeIssues(checked.error.issues, result)
      }`,
    );
    throw new ToolError("internal", `internal error: ${tool.name} produced an invalid result`);
  }

  #parse(tool: Tool, raw: Record<string, unknown>): unknown {
    const known = new Set(Object.keys(objectShape(tool.input)));
    const { args, error } = normaliseAliases(raw, known, tool.aliases);
    if (error) throw new ToolError("invalid_arguments", `invalid arguments for ${tool.name}: ${error}`);
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) {
      throw new ToolError(
        "invalid_arguments",
        `invalid arguments for ${tool.name}: ${describeIssues(parsed.error.issues, args)}`,
      );
    }
    return parsed.data;
  }
}

/** The properties of an object schema (through refinements). */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  let current: z.ZodType = schema;
  for (let i = 0; i < 5; i++) {
    if (current instanceof z.ZodObject) return current.shape as Record<string, z.ZodType>;
    const def = (current as unknown as { _zod: { def: { in?: z.ZodType; innerType?: z.ZodType; schema?: z.ZodType } } })
      ._zod.def;
    const inner = def.in ?? def.innerType ?? def.schema;
    if (!inner) break;
    current = inner;
  }
  return {};
}
