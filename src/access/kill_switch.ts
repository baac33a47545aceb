/**
 * The kill switch: while its file exists, or after SIGUSR1 until SIGUSR2, every
 * new order and every modification that adds exposure is refused. Cancels,
 * disables and deletes still work, so positions can always be reduced. With a
 * shared state, the signalled halt is shared: SIGUSR1 to one replica halts
 * every replica, SIGUSR2 to any of them resumes them all.
 *
 * @module
 */
import type { HaltStore } from "../state/store.ts";
import { errorMessage } from "../version.ts";

/** See the module documentation. */
export class KillSwitch {
  readonly file?: string;
  readonly #shared?: HaltStore;
  #signalled: string | undefined;

  constructor(file?: string, shared?: HaltStore) {
    this.file = file;
    this.#shared = shared;
  }

  /**
   * Halts trading until {@link KillSwitch.release}: every replica, with a shared state. When the shared state
   * cannot take it, this process halts anyway and the error says the others may not have.
   */
  async engage(why: string): Promise<void> {
    if (!this.#shared) {
      this.#signalled = why;
      return;
    }
    try {
      await this.#shared.set(why);
    } catch (err) {
      this.#signalled = why;
      throw err;
    }
  }

  /** Lifts a signalled halt, on every replica with a shared state (the file, if configured, still counts). */
  async release(): Promise<void> {
    await this.#shared?.set(undefined);
    this.#signalled = undefined;
  }

  /**
   * Why trading is halted, or undefined. Fails closed when the file or the shared state cannot be checked: a file
   * counts as present, and a shared state that cannot be read throws its StateUnavailableError, which
   * refuses the write as `state_unavailable` (the operator did not halt; the state is gone).
   */
  async reason(): Promise<string | undefined> {
    if (this.#signalled) return this.#signalled;
    if (this.#shared) {
      const shared = await this.#shared.get();
      if (shared) return `${shared} (set through the shared state)`;
    }
    if (!this.file) return undefined;
    try {
      await Deno.stat(this.file);
      return `the kill switch file ${this.file} exists`;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      return `the kill switch file ${this.file} cannot be checked (${errorMessage(err)})`;
    }
  }
}
