/**
 * The kill switch: while its file exists, or after SIGUSR1 until SIGUSR2, every
 * new order and every modification that adds exposure is refused. Cancels,
 * disables and deletes still work, so positions can always be reduced.
 *
 * @module
 */
import { errorMessage } from "../version.ts";

/** See the module documentation. */
export class KillSwitch {
  readonly file?: string;
  #signalled: string | undefined;

  constructor(file?: string) {
    this.file = file;
  }

  /** Halts trading until {@link KillSwitch.release}. */
  engage(why: string): void {
    this.#signalled = why;
  }

  /** Lifts a signalled halt (the file, if configured, still counts). */
  release(): void {
    this.#signalled = undefined;
  }

  /** Why trading is halted, or undefined. Fails closed when the file cannot be checked. */
  async reason(): Promise<string | undefined> {
    if (this.#signalled) return this.#signalled;
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
