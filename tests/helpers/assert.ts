/**
 * The few assertions the tests use, in the shape of Deno's `@std/assert`
 * (JSR is not reachable here), built on `node:assert/strict`.
 *
 * @module
 */
import assert from "node:assert/strict";

/** Deep strict equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** A truthy value. */
export function assert_(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}
export { assert_ as assert };

// deno-lint-ignore no-explicit-any
type ErrorClass<E extends Error> = new (...args: any[]) => E;

function check<E extends Error>(err: unknown, errorClass?: ErrorClass<E>, includes?: string): E {
  if (errorClass && !(err instanceof errorClass)) {
    throw new assert.AssertionError({
      message: `expected ${errorClass.name}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
    });
  }
  if (includes !== undefined && !(err as Error).message.includes(includes)) {
    throw new assert.AssertionError({
      message: `expected the error message to include ${JSON.stringify(includes)}, got ${
        JSON.stringify((err as Error).message)
      }`,
    });
  }
  return err as E;
}

/** `fn` throws an `errorClass` whose message includes `includes`; returns the error. */
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  errorClass?: ErrorClass<E>,
  includes?: string,
): E {
  try {
    fn();
  } catch (err) {
    return check(err, errorClass, includes);
  }
  throw new assert.AssertionError({ message: "expected the function to throw" });
}

/** The promise rejects with an `errorClass` whose message includes `includes`; returns the error. */
export async function assertRejects<E extends Error = Error>(
  fn: () => Promise<unknown>,
  errorClass?: ErrorClass<E>,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (err) {
    return check(err, errorClass, includes);
  }
  throw new assert.AssertionError({ message: "expected the promise to reject" });
}
