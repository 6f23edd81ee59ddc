import { dateTime, nullable } from '../../../core/resource-types/schema-helpers';
import { type FactDef, UNKNOWN_VALUE } from '../../../facts/fact-types';

/**
 * When AWS deprecated (or will deprecate) each Lambda runtime: after that date the runtime gets no
 * security patches. Source: AWS Lambda Developer Guide, "Lambda runtimes" — the deprecated runtimes
 * table and the published deprecation schedule, as read in 2025; nodejs20.x, nodejs22.x and dotnet8
 * checked against AWS's announced schedule in December 2026. Only dates AWS has announced are
 * listed, and the rule compares the date with the scan time, so a scheduled date starts failing on
 * its own when it passes. Update this table when AWS announces new dates.
 */
export const LAMBDA_RUNTIME_DEPRECATION: Readonly<Record<string, string>> = {
  'nodejs': '2016-10-31',
  'nodejs4.3': '2020-03-05',
  'nodejs4.3-edge': '2019-04-30',
  'nodejs6.10': '2019-08-12',
  'nodejs8.10': '2020-03-06',
  'nodejs10.x': '2021-07-30',
  'nodejs12.x': '2023-03-31',
  'nodejs14.x': '2023-12-04',
  'nodejs16.x': '2024-06-12',
  'nodejs18.x': '2025-09-01',
  'nodejs20.x': '2026-04-30',
  'nodejs22.x': '2027-04-30',
  'python2.7': '2021-07-15',
  'python3.6': '2022-07-18',
  'python3.7': '2023-12-04',
  'python3.8': '2024-10-14',
  'python3.9': '2025-12-15',
  'ruby2.5': '2021-07-30',
  'ruby2.7': '2023-12-07',
  'ruby3.2': '2026-03-31',
  'java8': '2024-01-08',
  'go1.x': '2024-01-08',
  'provided': '2024-01-08',
  'dotnetcore1.0': '2019-07-30',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore3.1': '2023-04-03',
  'dotnet5.0': '2022-05-10',
  'dotnet6': '2024-12-20',
  'dotnet7': '2024-05-14',
  'dotnet8': '2026-11-10',
};

/**
 * Runtimes known, when the table was last checked, to have no deprecation date that has passed.
 * A runtime in neither list is UNKNOWN, not supported: a table that has aged (a runtime whose date
 * AWS announced since, or one whose date was never confirmed here) must not pass a function.
 */
export const LAMBDA_RUNTIMES_CURRENT: ReadonlySet<string> = new Set([
  'nodejs24.x', 'python3.12', 'python3.13', 'python3.14', 'java21', 'java25', 'dotnet10', 'ruby3.4', 'provided.al2023',
]);
const TABLE_CHECKED = '2026-12';

function unlisted(r: { properties: Record<string, unknown> }): string | undefined {
  const runtime = r.properties.runtime;
  return typeof runtime === 'string' && !(runtime in LAMBDA_RUNTIME_DEPRECATION) && !LAMBDA_RUNTIMES_CURRENT.has(runtime) ? runtime : undefined;
}

export const lambdaRuntimeDeprecation: FactDef = {
  type: 'aws.lambda.function',
  name: 'runtimeDeprecatedOn',
  description: "Date (UTC midnight) AWS deprecated or will deprecate the function's runtime, from trustscan's dated table; null when none is announced or the function is a container image; unknown for a runtime the table does not know.",
  schema: nullable(dateTime()),
  dependsOn: ['runtime'],
  compute: (r, ctx) => {
    if (ctx.isUnknown(r, 'runtime') || unlisted(r)) return UNKNOWN_VALUE;
    const runtime = r.properties.runtime;
    const date = typeof runtime === 'string' ? LAMBDA_RUNTIME_DEPRECATION[runtime] : undefined;
    return date ? `${date}T00:00:00Z` : null;
  },
  unknownReasons: (r) => {
    const runtime = unlisted(r);
    return runtime ? [`runtime ${runtime} is not in trustscan's table of Lambda runtime deprecation dates (checked ${TABLE_CHECKED}): see AWS's Lambda runtimes page`] : [];
  },
};
