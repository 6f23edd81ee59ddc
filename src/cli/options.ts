import { InvalidArgumentError } from 'commander';
import { type Severity, SEVERITIES, type Status, STATUSES } from '../core/types';

/** Commander parsers that turn bad values into usage errors (exit 2). */

export function parseSeverity(value: string): Severity {
  const v = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return v as Severity;
}

export function parseChoice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return value as T;
  };
}

export function parseDate(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError('expected an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z');
  return d;
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Exit code 1 when a FAIL finding (not muted) is at or above the threshold. */
export function failsGate(failBySeverity: Record<Severity, number>, threshold: Severity | undefined): boolean {
  if (!threshold) return false;
  const limit = SEVERITIES.indexOf(threshold);
  return SEVERITIES.some((s, i) => i <= limit && failBySeverity[s] > 0);
}

/** Comma-separated, repeatable list of choices (`--severity critical,high --severity medium`), case-insensitive. */
export function collectChoices<T extends string>(choices: readonly T[], upper = false): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => {
    const items = value.split(',').map((v) => v.trim()).filter(Boolean).map((v) => (upper ? v.toUpperCase() : v.toLowerCase()));
    const bad = items.filter((v) => !(choices as readonly string[]).includes(v));
    if (bad.length || items.length === 0) throw new InvalidArgumentError(`expected one or more of ${choices.join(', ')} (comma-separated), got '${value}'`);
    return [...new Set([...(previous ?? []), ...(items as T[])])];
  };
}

export const collectSeverities = collectChoices<Severity>(SEVERITIES);
export const collectStatuses = collectChoices<Status>(STATUSES, true);
