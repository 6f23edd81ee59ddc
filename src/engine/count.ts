import { FALSE, TRUE, type Tri, UNKNOWN } from '../core/tri';

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
