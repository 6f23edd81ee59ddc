import { toTime } from '../../src/engine/operators';
import { compareCount } from '../../src/engine/count';
import { FALSE, TRUE, UNKNOWN } from '../../src/core/tri';
import { prng } from '../../src/bench/synthetic-snapshot';

describe('toTime', () => {
  it('agrees with Date.parse on ISO timestamps with and without milliseconds', () => {
    const rnd = prng(7);
    for (let i = 0; i < 20000; i++) {
      const iso = new Date(Math.floor(rnd() * 4e12)).toISOString();
      const s = i % 2 ? iso : `${iso.slice(0, 19)}Z`;
      expect(toTime(s)).toBe(Date.parse(s));
    }
  });

  it('falls back to Date.parse for other forms, and rejects garbage and impossible dates', () => {
    expect(toTime('2026-11-25T02:00:00+02:00')).toBe(Date.parse('2026-11-25T02:00:00+02:00'));
    expect(toTime('2026-11-25')).toBe(Date.parse('2026-11-25'));
    expect(toTime('2026-13-45T00:00:00Z')).toBeNaN();
    expect(toTime('abcd-ef-ghTij:kl:mnZ')).toBeNaN();
    expect(toTime(null)).toBeNaN();
    expect(toTime(42)).toBeNaN();
  });
});

describe('compareCount', () => {
  it('is TRUE or FALSE only when every count in the range agrees', () => {
    expect(compareCount({ lte: 1 }, { min: 1, max: 1 })).toBe(TRUE);
    expect(compareCount({ lte: 1 }, { min: 1, max: 2 })).toBe(UNKNOWN);
    expect(compareCount({ lte: 1 }, { min: 2, max: Infinity })).toBe(FALSE);
    expect(compareCount({ gte: 1 }, { min: 0, max: Infinity })).toBe(UNKNOWN);
    expect(compareCount({ gte: 1 }, { min: 1, max: Infinity })).toBe(TRUE);
    expect(compareCount({ eq: 0 }, { min: 0, max: 0 })).toBe(TRUE);
    expect(compareCount({ eq: 0 }, { min: 0, max: 3 })).toBe(UNKNOWN);
    expect(compareCount({ eq: 2 }, { min: 3, max: 5 })).toBe(FALSE);
    expect(compareCount({ gt: 0, lt: 3 }, { min: 1, max: 2 })).toBe(TRUE);
    expect(compareCount({ gt: 0, lt: 3 }, { min: 0, max: 4 })).toBe(UNKNOWN);
  });
});
