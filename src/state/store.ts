/**
 * What futu-mcp keeps between calls that decides money: per-key usage (the
 * per-minute order rate and the daily value, with writes in flight reserved),
 * the idempotency records of trade writes, confirmation tokens, the kill
 * switch and OpenD's write pacing. One process keeps them itself (`local.ts`,
 * and the usage counters in its state directory); replicas share them through
 * Redis (`redis.ts`), so that two replicas cannot each allow a key's
 * full daily cap, and a retry that lands on the other replica is answered from
 * the first one's record.
 *
 * Every operation that decides is atomic in the store (one Redis script), and
 * every record expires: a replica that dies with a write in flight leaves a
 * reservation that ends by itself ({@link RESERVATION_TTL_MS}), never a cap
 * consumed for good.
 *
 * @module
 */
import type { SharedPacing } from "../gateway/trade_api.ts";

/** A reservation not committed or released in this long is dropped (a replica died mid-write). */
export const RESERVATION_TTL_MS = 10 * 60_000;

/** The store cannot be reached or answered in error: every write that needs it is refused, nothing is sent. */
export class StateUnavailableError extends Error {
  override name = "StateUnavailableError";
}

/** What a key has used now: committed and in-flight writes together. */
export interface UsageFigures {
  /** Writes in the last 60 s plus writes in flight. */
  ordersLastMinute: number;
  /** Today's (UTC) committed value in the asked currency plus the value in flight in it. */
  dailyUsed: number;
}

/** A write to reserve against a key's rate and daily cap. */
export interface Reservation {
  /** Unique per write: commit and release name it. */
  id: string;
  /** Epoch ms. */
  at: number;
  /** What the write adds to today's total, in `currency` (absent: no exposure). */
  value?: number;
  currency?: string;
  /** The key's caps; absent caps are not checked. */
  maxOrdersPerMinute?: number;
  maxDailyValue?: number;
}

/** The store's verdict on a reservation. */
export type ReserveVerdict =
  | { ok: true }
  | { ok: false; limit: "rate" | "daily"; figures: UsageFigures };

/** Per-key usage with reservations: the check and the reservation are one atomic step. */
export interface UsageStore {
  /** What the key has used now (for a preview); `currency` selects the daily figure. */
  figures(keyId: string, now: number, currency?: string): Promise<UsageFigures>;
  /** Reserves the write unless a cap would be passed, counting every other reservation of the key. */
  reserve(keyId: string, reservation: Reservation): Promise<ReserveVerdict>;
  /** The write reached OpenD (or may have): it counts for the day. Idempotent per id. */
  commit(keyId: string, reservation: Reservation): Promise<void>;
  /** The write was not sent: it stops counting. */
  release(keyId: string, id: string): Promise<void>;
}

/** A stored trade-write outcome, as JSON: a replica that did not run the write answers with it. */
export type StoredOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { name: string; code: string; message: string } };

/** An idempotency record: the write is running somewhere, or done with its outcome. */
export type IdempotencyRecord =
  | { fingerprint: string; state: "running" }
  | { fingerprint: string; state: "done"; outcome: StoredOutcome };

/** Idempotency records of trade writes, shared by whoever may receive the retry. */
export interface IdempotencyStore {
  /** Claims the key for a run; or the record that holds it (running elsewhere, or done). */
  claim(key: string, fingerprint: string, ttlMs: number): Promise<"claimed" | IdempotencyRecord>;
  /** Stores the outcome of a claimed run (the record keeps its expiry). */
  settle(key: string, fingerprint: string, outcome: StoredOutcome): Promise<void>;
  /** The record of a key, if any. */
  get(key: string): Promise<IdempotencyRecord | undefined>;
}

/** Outstanding confirmation tokens: a token is taken (read and deleted) in one step. */
export interface TokenStore {
  put(token: string, record: string, ttlMs: number): Promise<void>;
  /** The record, deleted; undefined when unknown or used (the record holds its own expiry). */
  take(token: string): Promise<string | undefined>;
}

/** The shared halt: set on one replica, it stops every replica's new orders. */
export interface HaltStore {
  get(): Promise<string | undefined>;
  set(reason: string | undefined): Promise<void>;
}

/** State shared by replicas (Redis). A single process without it keeps each piece itself. */
export interface SharedState {
  /** Where it lives, for messages: "redis://host:port/db (namespace futu-mcp)". */
  readonly description: string;
  readonly usage: UsageStore;
  readonly idempotency: IdempotencyStore;
  readonly tokens: TokenStore;
  readonly halt: HaltStore;
  /** OpenD's write spacing, shared by every replica on the same OpenD. */
  readonly pacing: SharedPacing;
  /** Whether the store is connected now (its last connection event); while not, trade writes are refused. */
  readonly up: boolean;
  close(): Promise<void>;
}
