/**
 * Where per-key usage lives: order timestamps (for the per-minute rate) and
 * per-day order value (for the daily cap). The file store persists every
 * commit atomically (0600), so a restart cannot reset a daily cap; a store
 * shared by several replicas can implement the same interface.
 *
 * @module
 */
import { writeSecretFile } from "./keys.ts";
import { errorMessage } from "../version.ts";

/** Usage of one key. */
export interface KeyUsage {
  /** Epoch ms of recent order writes (the last minute is enough). */
  orders: number[];
  /** UTC day ("YYYY-MM-DD") the values belong to. */
  day: string;
  /** Committed order value today, per currency. */
  values: Record<string, number>;
}

/** One committed write. */
export interface UsageEvent {
  at: number;
  /** Order value added to today's total, with its currency; absent for no-exposure writes. */
  value?: number;
  currency?: string;
}

/** Persistent usage counters. */
export interface UsageStore {
  /** Current usage of a key (expired entries dropped). */
  get(keyId: string, now: number): KeyUsage;
  /** Records a write that OpenD accepted (or may have). */
  commit(keyId: string, event: UsageEvent): Promise<void>;
}

/** The UTC day of an instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A usage file that cannot be trusted: the server refuses to start rather than forget caps. */
export class UsageStoreError extends Error {
  override name = "UsageStoreError";
}

function normalise(usage: KeyUsage, now: number): KeyUsage {
  const today = utcDay(now);
  return {
    orders: usage.orders.filter((t) => t > now - 60_000 && t <= now + 60_000),
    day: today,
    values: usage.day === today ? usage.values : {},
  };
}

/** In memory only: for tests and for servers without a state directory. */
export class MemoryUsageStore implements UsageStore {
  protected readonly usage = new Map<string, KeyUsage>();

  get(keyId: string, now: number): KeyUsage {
    const current = normalise(this.usage.get(keyId) ?? { orders: [], day: utcDay(now), values: {} }, now);
    this.usage.set(keyId, current);
    return { orders: [...current.orders], day: current.day, values: { ...current.values } };
  }

  commit(keyId: string, event: UsageEvent): Promise<void> {
    const current = normalise(this.usage.get(keyId) ?? { orders: [], day: utcDay(event.at), values: {} }, event.at);
    current.orders.push(event.at);
    if (event.value !== undefined && event.currency !== undefined) {
      current.values[event.currency] = (current.values[event.currency] ?? 0) + event.value;
    }
    this.usage.set(keyId, current);
    return Promise.resolve();
  }
}

/** A JSON file, rewritten atomically on every commit. */
export class FileUsageStore extends MemoryUsageStore {
  readonly #path: string;
  #writes: Promise<void> = Promise.resolve();

  private constructor(path: string) {
    super();
    this.#path = path;
  }

  /** Opens (or creates) the store; a corrupt file is an error, never silently reset. */
  static async open(path: string): Promise<FileUsageStore> {
    const store = new FileUsageStore(path);
    let text: string | undefined;
    try {
      text = await Deno.readTextFile(path);
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) {
        throw new UsageStoreError(`${path}: cannot read the usage counters: ${errorMessage(err)}`);
      }
    }
    if (text !== undefined) {
      let data: { version?: number; keys?: Record<string, KeyUsage> };
      try {
        data = JSON.parse(text);
      } catch (err) {
        throw new UsageStoreError(
          `${path}: corrupt usage counters (${(err as Error).message}); refusing to start with unknown usage`,
        );
      }
      if (data.version !== 1 || typeof data.keys !== "object" || data.keys === null) {
        throw new UsageStoreError(`${path}: unrecognised usage counters; refusing to start with unknown usage`);
      }
      for (const [id, usage] of Object.entries(data.keys)) {
        if (!Array.isArray(usage.orders) || typeof usage.day !== "string" || typeof usage.values !== "object") {
          throw new UsageStoreError(`${path}: corrupt usage counters for key "${id}"`);
        }
        store.usage.set(id, usage);
      }
    }
    return store;
  }

  override async commit(keyId: string, event: UsageEvent): Promise<void> {
    await super.commit(keyId, event);
    const text = JSON.stringify({ version: 1, keys: Object.fromEntries(this.usage) }) + "\n";
    const write = this.#writes.catch(() => {}).then(() => writeSecretFile(this.#path, text));
    this.#writes = write;
    await write;
  }
}
