import { scanUnits, unitsInFlight } from '../../src/core/units-in-flight';

describe('a collector works on a bounded number of units at once', () => {
  it('never has more units in flight than allowed, and scans each once, in order of start', async () => {
    let now = 0;
    let peak = 0;
    const started: number[] = [];
    await scanUnits(
      Array.from({ length: 50 }, (_, i) => i),
      8,
      async (u) => {
        started.push(u);
        peak = Math.max(peak, ++now);
        await new Promise((r) => setTimeout(r, 1 + (u % 5)));
        now--;
      },
    );
    expect(peak).toBe(8);
    expect(started).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps the overall call limit busy: several units per unit-sized share of it', () => {
    expect(unitsInFlight(32, 16)).toBe(8);
    expect(unitsInFlight(32, 8)).toBe(16);
    expect(unitsInFlight(1, 1)).toBe(4);
    expect(unitsInFlight(0, 0)).toBeGreaterThanOrEqual(2);
  });

  it('a failing unit fails the scan (the collectors catch what a unit may survive)', async () => {
    await expect(scanUnits([1, 2, 3], 2, async (u) => (u === 2 ? Promise.reject(new Error('boom')) : undefined))).rejects.toThrow('boom');
  });
});
