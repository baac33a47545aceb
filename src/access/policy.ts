/**
 * The access rules behind the tool guard: which key a call uses, its scopes,
 * its account whitelist, its limits, the kill switch, and the audit and
 * metrics of every decision. Two policies: {@link KeyAccessControl} (a keys
 * file) and {@link LegacyAccessControl} (no keys file: switches only).
 *
 * @module
 */
import type { Account, TradeTarget } from "../gateway/types.ts";
import { currencyOfMarket, LIMIT_PRICE_ORDER_TYPES, parseSymbol } from "../gateway/types.ts";
import type { AccountService } from "../services/accounts.ts";
import type { MarketDataService } from "../services/market_data.ts";
import type { PushChannel, PushMessage } from "../services/push.ts";
import { type ErrorCode, ToolError } from "../tools/errors.ts";
import {
  type AccessControl,
  type Caller,
  type CallMeta,
  type CallRecord,
  NO_RESERVATION,
  type Subject,
  type WriteCheck,
  type WriteReservation,
} from "../tools/guard.ts";
import type { OrderIntent, Tool } from "../tools/tool.ts";
import { argsHash, type AuditLog } from "./audit.ts";
import type { KeyRecord, KeyStore } from "./keys.ts";
import { REJECTION_TEXT } from "./keys.ts";
import type { KillSwitch } from "./kill_switch.ts";
import { type LimitCheck, type LimitedWrite, type LimitEngine, LimitViolation } from "./limits.ts";
import type { Metrics } from "./metrics.ts";
import type { ConfirmMode, Scope } from "../tools/scopes.ts";
import { ConfirmTokens } from "./confirm_tokens.ts";
import { StateUnavailableError } from "../state/store.ts";

const IFACE = "mcp";
/** Market orders are valued at the last price plus this margin when the key sets no collar. */
const DEFAULT_PROTECTIVE_MARGIN_PCT = 5;

const EXPOSURE_KINDS = new Set(["place", "NORMAL", "ENABLE"]);

/** A rule's refusal of a write, as a preview shows it. */
interface Refusal {
  code: ErrorCode;
  message: string;
}

function unavailableText(err: StateUnavailableError): string {
  return `${err.message}: trade writes are refused until it is back; nothing was sent`;
}

function haltedText(reason: string): string {
  return `trading is halted by the operator (${reason}): new orders and modifications are refused; cancels still work`;
}

/** Audit, metrics and the kill switch, shared by both policies. */
abstract class BasePolicy implements AccessControl {
  protected readonly audit?: AuditLog;
  protected readonly metrics?: Metrics;
  protected readonly killSwitch?: KillSwitch;
  readonly #tokens: ConfirmTokens;

  constructor(
    options: { audit?: AuditLog; metrics?: Metrics; killSwitch?: KillSwitch; confirmTokens?: ConfirmTokens },
  ) {
    this.audit = options.audit;
    this.metrics = options.metrics;
    this.killSwitch = options.killSwitch;
    this.#tokens = options.confirmTokens ?? new ConfirmTokens();
  }

  abstract identify(tool: Tool, apiKey: string | undefined, meta: CallMeta): Promise<Caller>;
  abstract admit(caller: Caller, tool: Tool): void;
  abstract authorize(caller: Caller, tool: Tool, scope: Scope, subject: Subject): Promise<void>;
  abstract accountVisible(caller: Caller, account: Account): boolean;
  abstract mayReceive(channel: PushChannel, push: PushMessage): Promise<boolean>;
  abstract confirmMode(caller: Caller): ConfirmMode;
  /** Why the caller may not make a write of this scope on this account, if it may not (recording nothing). */
  protected abstract scopeRefusal(caller: Caller, scope: Scope, target: TradeTarget): Promise<Refusal | undefined>;
  /** The key's limits on a write, reserving nothing. */
  protected abstract limitCheck(caller: Caller, intent: OrderIntent, target: TradeTarget): Promise<LimitCheck>;
  protected abstract limitedReserve(
    caller: Caller,
    tool: Tool,
    intent: OrderIntent,
    target: TradeTarget,
  ): Promise<WriteReservation>;

  protected keyLabel(id: string): string {
    return id === "" ? "<none>" : id;
  }

  /** Audits and counts a refusal, then throws it. */
  protected reject(tool: Tool, keyId: string, code: ErrorCode, reason: string, scope?: Scope): never {
    this.audit?.write({
      iface: IFACE,
      endpoint: tool.name,
      key_id: this.keyLabel(keyId),
      outcome: "reject",
      reason,
      scope,
    });
    this.metrics?.authEvents.inc({ iface: IFACE, outcome: "reject", key_id: this.metrics.keyLabel(keyId) });
    throw new ToolError(code, reason);
  }

  protected allow(tool: Tool, caller: Caller, scope: Scope, subject: Subject): void {
    this.audit?.write({
      iface: IFACE,
      endpoint: tool.name,
      key_id: this.keyLabel(caller.id),
      outcome: "allow",
      scope,
      acc_id: subject.target?.accId,
      env: subject.target?.env,
    });
    this.metrics?.authEvents.inc({ iface: IFACE, outcome: "allow", key_id: this.metrics.keyLabel(caller.id) });
  }

  async checkWrite(caller: Caller, scope: Scope, intent: OrderIntent, target: TradeTarget): Promise<WriteCheck> {
    const refusals: Refusal[] = [];
    const denied = await this.scopeRefusal(caller, scope, target);
    if (denied) refusals.push(denied);
    let limits: LimitCheck = { use: {} };
    try {
      const halted = !intent.replay && EXPOSURE_KINDS.has(intent.kind) ? await this.killSwitch?.reason() : undefined;
      if (halted) refusals.push({ code: "halted", message: haltedText(halted) });
      if (!intent.replay) limits = await this.limitCheck(caller, intent, target);
    } catch (err) {
      if (!(err instanceof StateUnavailableError)) throw err;
      refusals.push({ code: "state_unavailable", message: unavailableText(err) });
    }
    if (limits.violation) refusals.push({ code: "limit", message: limits.violation.message });
    return { refusals, limits: limits.use, confirm: this.confirmMode(caller) };
  }

  issueConfirmToken(caller: Caller, tool: string, request: Record<string, unknown>) {
    return this.#tokens.issue(caller.id, tool, request);
  }

  redeemConfirmToken(caller: Caller, tool: string, request: Record<string, unknown>, token: string): Promise<void> {
    return this.#tokens.redeem(caller.id, tool, request, token);
  }

  async reserve(caller: Caller, tool: Tool, intent: OrderIntent, target: TradeTarget): Promise<WriteReservation> {
    // An idempotent repeat writes nothing: it answers the first call's outcome.
    if (intent.replay) return NO_RESERVATION;
    if (EXPOSURE_KINDS.has(intent.kind)) {
      let halted: string | undefined;
      try {
        halted = await this.killSwitch?.reason();
      } catch (err) {
        if (!(err instanceof StateUnavailableError)) throw err;
        this.reject(tool, caller.id, "state_unavailable", unavailableText(err), undefined);
      }
      if (halted) this.reject(tool, caller.id, "halted", haltedText(halted), undefined);
    }
    return this.limitedReserve(caller, tool, intent, target);
  }

  record(event: CallRecord): void {
    const outcome = event.outcome;
    this.metrics?.toolCalls.inc({ tool: event.tool, outcome });
    if (event.phase !== "before") this.metrics?.toolDuration.observe({ tool: event.tool }, event.durationMs / 1000);
    if (!event.phase) return;
    const keyId = event.caller?.id ?? "";
    this.metrics?.authEvents.inc({ iface: IFACE, outcome, key_id: this.metrics.keyLabel(keyId) });
    const idempotencyKey = (event.args as { idempotency_key?: unknown } | undefined)?.idempotency_key;
    const failed = this.audit?.write({
      iface: IFACE,
      endpoint: event.tool,
      key_id: this.keyLabel(keyId),
      outcome: outcome === "rejected" ? "reject" : outcome,
      reason: event.phase === "after" && outcome !== "success" ? event.message : undefined,
      scope: event.scope,
      args_hash: event.args === undefined ? undefined : argsHash(event.args),
      cache_outcome: idempotencyKey === undefined ? "no_key" : event.replayed ? "cached" : "executed",
      acc_id: event.target?.accId,
      env: event.target?.env,
    });
    if (failed && event.phase === "before") {
      // Fail closed: a trade write is never sent without its audit record.
      // The caller learns the kind of failure; the operator's stderr has the path and the details.
      throw new ToolError(
        "audit_unavailable",
        `refused: the audit log cannot be written (${failed.name}); no trade write is sent without its audit record`,
        "Tell the operator (futu-mcp's stderr says why). Reads still work; do not retry the write until it is fixed.",
      );
    }
  }
}

const LEGACY_NO_REAL =
  "real trading is disabled on this server (legacy mode): the operator must start futu-mcp with --keys-file, " +
  "or with --enable-trading --allow-real-trading";

/** No keys file: upstream's legacy mode. Trade tools only with --enable-trading; "real" also needs --allow-real-trading. */
export class LegacyAccessControl extends BasePolicy {
  readonly #allowReal: boolean;

  constructor(
    options: {
      allowRealTrading: boolean;
      audit?: AuditLog;
      metrics?: Metrics;
      killSwitch?: KillSwitch;
      confirmTokens?: ConfirmTokens;
    },
  ) {
    super(options);
    this.#allowReal = options.allowRealTrading;
  }

  /** Legacy mode has no keys to choose another mode: the client asks the user, or a token is needed. */
  confirmMode(): ConfirmMode {
    return "elicit";
  }

  protected scopeRefusal(_caller: Caller, scope: Scope): Promise<Refusal | undefined> {
    return Promise.resolve(
      (scope === "trade:real" || scope === "trade:unlock") && !this.#allowReal
        ? { code: "unauthorized", message: LEGACY_NO_REAL }
        : undefined,
    );
  }

  protected limitCheck(): Promise<LimitCheck> {
    return Promise.resolve({ use: {} });
  }

  identify(): Promise<Caller> {
    return Promise.resolve({ id: "" });
  }

  admit(): void {}

  authorize(caller: Caller, tool: Tool, scope: Scope, subject: Subject): Promise<void> {
    if ((scope === "trade:real" || scope === "trade:unlock") && !this.#allowReal) {
      this.reject(tool, caller.id, "unauthorized", LEGACY_NO_REAL, scope);
    }
    this.allow(tool, caller, scope, subject);
    return Promise.resolve();
  }

  accountVisible(): boolean {
    return true;
  }

  mayReceive(): Promise<boolean> {
    return Promise.resolve(true);
  }

  protected limitedReserve(): Promise<WriteReservation> {
    return Promise.resolve(NO_RESERVATION);
  }
}

/** What {@link KeyAccessControl} needs. */
export interface KeyAccessOptions {
  /** The keys in force (swapped on reload). */
  keys: () => KeyStore;
  /** `FUTU_MCP_API_KEY`: used by stdio calls that carry no key. */
  startupKey?: string;
  machineId?: string;
  limits: LimitEngine;
  accounts: AccountService;
  market: MarketDataService;
  audit?: AuditLog;
  metrics?: Metrics;
  killSwitch?: KillSwitch;
  confirmTokens?: ConfirmTokens;
}

/** Why a key may not make a call of this scope. */
function lacksScope(caller: Caller, scope: Scope, target: TradeTarget | undefined): string {
  const why = scope === "trade:real"
    ? `this call addresses REAL account ${target?.accId} and key "${caller.id}" lacks trade:real`
    : scope === "trade:simulate"
    ? `this call addresses SIMULATE account ${target?.accId} and key "${caller.id}" lacks trade:simulate`
    : `key "${caller.id}" lacks scope ${scope}`;
  return `unauthorized: ${why}`;
}

function cardMatches(allowed: string, account: Account): boolean {
  const cards = [account.cardNum, account.uniCardNum].filter((c): c is string => !!c);
  return cards.some((card) => allowed.length === 4 ? card.endsWith(allowed) : card === allowed);
}

/** A keys file: every call carries a key, scopes and limits apply. */
export class KeyAccessControl extends BasePolicy {
  readonly #options: KeyAccessOptions;

  constructor(options: KeyAccessOptions) {
    super(options);
    this.#options = options;
  }

  /** api_key, then the HTTP bearer, then (stdio only) the startup key. A present but invalid key never falls back. */
  identify(tool: Tool, apiKey: string | undefined, meta: CallMeta): Promise<Caller> {
    const plaintext = apiKey ?? meta.bearer ?? (meta.transport === "http" ? undefined : this.#options.startupKey);
    if (plaintext === undefined) {
      this.reject(
        tool,
        "<missing>",
        "unauthorized",
        "unauthorized: no API key. Pass api_key, send Authorization: Bearer <key>, or start futu-mcp with FUTU_MCP_API_KEY",
      );
    }
    const verdict = this.#options.keys().verify(plaintext!, this.#options.machineId);
    if (!verdict.ok) {
      const source = apiKey !== undefined
        ? "api_key"
        : meta.bearer !== undefined
        ? "the bearer token"
        : "FUTU_MCP_API_KEY";
      this.reject(
        tool,
        verdict.id ?? "<invalid>",
        "unauthorized",
        `unauthorized: ${REJECTION_TEXT[verdict.reason]} (${source})`,
      );
    }
    return Promise.resolve({ id: verdict.record.id });
  }

  /** The record in force now: revocations and edits by reload apply at once. */
  #record(tool: Tool, caller: Caller): KeyRecord {
    const verdict = this.#options.keys().check(caller.id, this.#options.machineId);
    if (!verdict.ok) {
      const why = verdict.reason === "invalid" ? "key revoked" : REJECTION_TEXT[verdict.reason];
      this.reject(tool, caller.id, "unauthorized", `unauthorized: ${why}`);
    }
    return verdict.record;
  }

  admit(caller: Caller, tool: Tool): void {
    const record = this.#record(tool, caller);
    if (tool.scope === "trade:by-env" && !record.scopes.has("trade:simulate") && !record.scopes.has("trade:real")) {
      this.reject(tool, caller.id, "unauthorized", `unauthorized: key "${caller.id}" has no trade scope`);
    }
  }

  async #accountAllowed(record: KeyRecord, accId: string): Promise<boolean> {
    const { allowedAccIds, allowedCardNums } = record.limits;
    if (!allowedAccIds && !allowedCardNums) return true;
    if (allowedAccIds?.includes(accId)) return true;
    if (!allowedCardNums) return false;
    const account = (await this.#options.accounts.list()).find((a) => a.accId === accId);
    return account !== undefined && allowedCardNums.some((card) => cardMatches(card, account));
  }

  async authorize(caller: Caller, tool: Tool, scope: Scope, subject: Subject): Promise<void> {
    const record = this.#record(tool, caller);
    if (!record.scopes.has(scope)) {
      this.reject(tool, caller.id, "unauthorized", lacksScope(caller, scope, subject.target), scope);
    }
    const limited = record.limits.allowedAccIds !== undefined || record.limits.allowedCardNums !== undefined;
    const named = [...(subject.accIds ?? []), ...(subject.target ? [subject.target.accId] : [])];
    if (limited && scope === "trade:unlock" && named.length === 0) {
      this.reject(tool, caller.id, "forbidden", "forbidden: this key is limited to some accounts; pass acc_ids", scope);
    }
    for (const accId of named) {
      if (!(await this.#accountAllowed(record, accId))) {
        this.#options.metrics?.limitRejects.inc({
          iface: IFACE,
          key_id: this.#options.metrics.keyLabel(caller.id),
          reason: "account",
        });
        this.reject(
          tool,
          caller.id,
          "forbidden",
          `forbidden: account ${accId} is not in this key's allowed accounts`,
          scope,
        );
      }
    }
    this.allow(tool, caller, scope, subject);
  }

  confirmMode(caller: Caller): ConfirmMode {
    return this.#options.keys().get(caller.id)?.confirmReal ?? "elicit";
  }

  protected async scopeRefusal(caller: Caller, scope: Scope, target: TradeTarget): Promise<Refusal | undefined> {
    const verdict = this.#options.keys().check(caller.id, this.#options.machineId);
    if (!verdict.ok) return { code: "unauthorized", message: `unauthorized: ${REJECTION_TEXT[verdict.reason]}` };
    if (!verdict.record.scopes.has(scope)) return { code: "unauthorized", message: lacksScope(caller, scope, target) };
    if (!(await this.#accountAllowed(verdict.record, target.accId))) {
      return { code: "forbidden", message: `forbidden: account ${target.accId} is not in this key's allowed accounts` };
    }
    return undefined;
  }

  protected async limitCheck(caller: Caller, intent: OrderIntent, target: TradeTarget): Promise<LimitCheck> {
    const record = this.#options.keys().get(caller.id);
    if (!record) return { use: {} };
    const write = await this.#describe(record, intent, target);
    return this.#options.limits.check(
      caller.id,
      record.limits,
      write,
      await this.#accountAllowed(record, target.accId),
    );
  }

  accountVisible(caller: Caller, account: Account): boolean {
    const record = this.#options.keys().get(caller.id);
    if (!record) return false;
    const { allowedAccIds, allowedCardNums } = record.limits;
    if (!allowedAccIds && !allowedCardNums) return true;
    return allowedAccIds?.includes(account.accId) === true ||
      (allowedCardNums?.some((card) => cardMatches(card, account)) ?? false);
  }

  /** Defense in depth: the key's current record is checked again for every push. */
  async mayReceive(channel: PushChannel, push: PushMessage): Promise<boolean> {
    const isTrade = push.type === "order" || push.type === "fill";
    const scope: Scope = isTrade ? "acc:read" : "qot:read";
    const verdict = this.#options.keys().check(channel.caller, this.#options.machineId);
    let allowed = verdict.ok && verdict.record.scopes.has(scope);
    if (allowed && verdict.ok && isTrade && "acc_id" in push) {
      const { allowedMarkets } = verdict.record.limits;
      allowed = (await this.#accountAllowed(verdict.record, push.acc_id)) &&
        (!allowedMarkets || allowedMarkets.includes(push.market as TradeTarget["market"]));
    }
    if (!allowed) {
      this.#options.metrics?.pushFiltered.inc({
        required_scope: scope,
        key_id: this.#options.metrics.keyLabel(channel.caller),
      });
    }
    return allowed;
  }

  protected async limitedReserve(
    caller: Caller,
    tool: Tool,
    intent: OrderIntent,
    target: TradeTarget,
  ): Promise<WriteReservation> {
    const record = this.#record(tool, caller);
    const write = await this.#describe(record, intent, target);
    try {
      return await this.#options.limits.reserve(
        caller.id,
        record.limits,
        write,
        await this.#accountAllowed(record, target.accId),
      );
    } catch (err) {
      if (!(err instanceof LimitViolation)) throw err;
      this.#options.metrics?.limitRejects.inc({
        iface: IFACE,
        key_id: this.#options.metrics.keyLabel(caller.id),
        reason: err.reason,
      });
      this.reject(tool, caller.id, "limit", err.message);
    }
  }

  /** Values a write: limit price × open quantity, or a protective price when there is no limit price. */
  async #describe(record: KeyRecord, intent: OrderIntent, target: TradeTarget): Promise<LimitedWrite> {
    const write: LimitedWrite = {
      target,
      kind: intent.kind,
      symbol: intent.symbol,
      side: intent.side,
      markets: intent.markets,
    };
    if (!EXPOSURE_KINDS.has(intent.kind) || intent.kind === "ENABLE" || !intent.symbol) return write;
    const limits = record.limits;
    const needsValue = limits.maxOrderValue !== undefined || limits.maxDailyValue !== undefined;
    const isLimitOrder = intent.orderType !== undefined && LIMIT_PRICE_ORDER_TYPES.has(intent.orderType) &&
      intent.price !== undefined;
    if (!needsValue && limits.priceCollarPct === undefined) return write;
    const { market } = parseSymbol(intent.symbol);
    write.currency = currencyOfMarket(market) ?? market;
    let last: number | undefined;
    let multiplier = 1;
    try {
      const [snapshot] = await this.#options.market.snapshots([intent.symbol]);
      last = snapshot?.curPrice;
      multiplier = snapshot?.option?.contractSize ?? 1;
    } catch {
      last = undefined; // valued below only if a limit price exists; otherwise the limits fail closed
    }
    write.lastPrice = last;
    write.limitPrice = isLimitOrder ? intent.price : undefined;
    const margin = 1 + (limits.priceCollarPct ?? DEFAULT_PROTECTIVE_MARGIN_PCT) / 100;
    let unit: number | undefined;
    if (isLimitOrder) unit = intent.price;
    else if (last !== undefined && last > 0) unit = Math.max(last, intent.auxPrice ?? 0) * margin;
    const openQty = intent.qty === undefined ? undefined : Math.max(0, intent.qty - (intent.filledQty ?? 0));
    if (unit !== undefined && openQty !== undefined) {
      write.value = unit * openQty * multiplier;
      write.addedValue = intent.kind === "NORMAL"
        ? write.value - (intent.previousValue ?? 0) * multiplier
        : write.value;
    }
    return write;
  }
}
