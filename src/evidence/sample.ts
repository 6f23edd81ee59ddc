import { sha256 } from '../core/hash';

/**
 * Audit samples. The size follows the usual guidance for a population of N items (see
 * docs/evidence.md for the sources): every item below 5, 5 items up to 50, 10 % (rounded up) up
 * to 250, 25 above — unless the user asks for N. The choice is reproducible and checkable with
 * any tool: items are ranked by SHA-256 of "<seed>:<framework>:<criterion>:<item key>" (hex,
 * ascending) and the first ones taken, so the same seed and population always give the same
 * sample, and nobody can steer which items are picked without changing the seed.
 */

export function guidanceSampleSize(population: number): number {
  if (population < 5) return population;
  if (population <= 50) return 5;
  if (population <= 250) return Math.ceil(population / 10);
  return 25;
}

export function sampleSize(population: number, requested?: number): number {
  return requested === undefined ? guidanceSampleSize(population) : Math.min(population, requested);
}

export function sampleRank(seed: string, framework: string, criterion: string, key: string): string {
  return sha256(`${seed}:${framework}:${criterion}:${key}`);
}

/** The sample of `items` (by `key`), in rank order. */
export function drawSample<T>(items: T[], key: (t: T) => string, size: number, seed: string, framework: string, criterion: string): { item: T; rank: string }[] {
  return items
    .map((item) => ({ item, rank: sampleRank(seed, framework, criterion, key(item)) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0))
    .slice(0, size);
}
