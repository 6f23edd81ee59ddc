/**
 * Three-valued (Kleene) logic: every condition is TRUE, FALSE or UNKNOWN. UNKNOWN spreads unless
 * the known part already decides (`any` with one TRUE is TRUE), so missing data can never turn a
 * verdict into PASS, and data that does not matter does not make it UNKNOWN.
 */
export type Tri = 0 | 1 | 2;
export const FALSE = 0 as const;
export const TRUE = 1 as const;
export const UNKNOWN = 2 as const;

export function not(v: Tri): Tri {
  return v === UNKNOWN ? UNKNOWN : v === TRUE ? FALSE : TRUE;
}

/** An integer range [min, max] for counts under uncertainty; max is Infinity when a listing is incomplete. */
export interface CountRange {
  min: number;
  max: number;
}

export interface Comparators {
  eq?: number;
  gte?: number;
  gt?: number;
  lte?: number;
  lt?: number;
}

/** Compares a count that lies somewhere in [min, max]: TRUE/FALSE only when every possible count agrees. */
export function compareCount(c: Comparators, r: CountRange): Tri {
  let result: Tri = TRUE;
  const fold = (lowOk: boolean, highOk: boolean): void => {
    // lowOk/highOk: does the comparison hold at every / at some point of the range
    if (!highOk) result = FALSE;
    else if (!lowOk && result !== FALSE) result = UNKNOWN;
  };
  if (c.eq !== undefined) fold(r.min === c.eq && r.max === c.eq, r.min <= c.eq && r.max >= c.eq);
  if (c.gte !== undefined) fold(r.min >= c.gte, r.max >= c.gte);
  if (c.gt !== undefined) fold(r.min > c.gt, r.max > c.gt);
  if (c.lte !== undefined) fold(r.max <= c.lte, r.min <= c.lte);
  if (c.lt !== undefined) fold(r.max < c.lt, r.min < c.lt);
  return result;
}
