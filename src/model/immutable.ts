/**
 * Deep freezing, for the IR: once built it is never changed, so every stage after the builder can
 * read one shared value without copying it, and a stage that tries to change it fails loudly.
 */

/** Values that `deepFreeze` was called on, and so froze with everything reachable from them. */
const deeplyFrozen = new WeakSet<object>();

/**
 * Freezes `value` and everything reachable from it; returns `value`. An object that is frozen
 * already is taken to be frozen all the way down (it was frozen here, as part of an earlier value).
 */
export function deepFreeze<T>(value: T): T {
  freeze(value);
  if (typeof value === 'object' && value !== null) deeplyFrozen.add(value);
  return value;
}

function freeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  // Index and for-in loops: several times faster than Object.keys on a 10,000-step IR. The IR
  // holds plain objects and arrays only, which have no enumerable inherited properties. Most
  // values are strings and numbers: they are skipped here rather than in a call each.
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) freeze(item);
    }
  } else {
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      if (typeof item === 'object' && item !== null) freeze(item);
    }
  }
}

/**
 * Whether `value` went through `deepFreeze`. An object frozen some other way (`Object.freeze`
 * freezes one level only) does not count.
 */
export function isDeepFrozen(value: object): boolean {
  return deeplyFrozen.has(value);
}
