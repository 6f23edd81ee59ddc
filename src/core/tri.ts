/**
 * Three-valued (Kleene) logic, one encoding for the whole code base: rule conditions in the
 * engine, fact values, and the provider logic behind facts all answer TRUE, FALSE or UNKNOWN.
 *
 * UNKNOWN is a single marker symbol, UNKNOWN_VALUE, that also stands for any value that could not
 * be determined (`MaybeUnknown<T>`): a fact may return it whole or inside its value, and the engine
 * reads it as "cannot tell" wherever it meets it. So a verdict is a `MaybeUnknown<boolean>`, and a
 * fact's boolean needs no translation to become one.
 *
 * UNKNOWN spreads unless the known part already decides (`or` with one TRUE is TRUE, `and` with one
 * FALSE is FALSE), so missing data can never turn a verdict into PASS, and data that does not
 * matter does not make it UNKNOWN. Compare with `===` only: UNKNOWN is truthy, so `if (v)` would
 * take it for TRUE.
 */

/** The unknown marker: a value, or a verdict, that the data at hand cannot decide. */
export const UNKNOWN_VALUE: unique symbol = Symbol('unknown');
/** A value of type T, or UNKNOWN_VALUE when the data needed to determine it is missing. */
export type MaybeUnknown<T> = T | typeof UNKNOWN_VALUE;

/** A three-valued verdict: `true`, `false` or UNKNOWN_VALUE. */
export type Tri = MaybeUnknown<boolean>;
export const TRUE = true as const;
export const FALSE = false as const;
export const UNKNOWN: typeof UNKNOWN_VALUE = UNKNOWN_VALUE;

export function not(v: Tri): Tri {
  return v === UNKNOWN ? UNKNOWN : !v;
}

/** FALSE if either is FALSE, else UNKNOWN if either is UNKNOWN, else TRUE. */
export function and(a: Tri, b: Tri): Tri {
  return a === FALSE || b === FALSE ? FALSE : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : TRUE;
}

/** TRUE if either is TRUE, else UNKNOWN if either is UNKNOWN, else FALSE. */
export function or(a: Tri, b: Tri): Tri {
  return a === TRUE || b === TRUE ? TRUE : a === UNKNOWN || b === UNKNOWN ? UNKNOWN : FALSE;
}

/** `and` over a list: TRUE for an empty one. */
export function allOf(vs: readonly Tri[]): Tri {
  let out: Tri = TRUE;
  for (const v of vs) {
    if (v === FALSE) return FALSE;
    if (v === UNKNOWN) out = UNKNOWN;
  }
  return out;
}

/** `or` over a list: FALSE for an empty one. */
export function anyOf(vs: readonly Tri[]): Tri {
  let out: Tri = FALSE;
  for (const v of vs) {
    if (v === TRUE) return TRUE;
    if (v === UNKNOWN) out = UNKNOWN;
  }
  return out;
}
