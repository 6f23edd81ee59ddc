import { type Origin, UNKNOWN_ACCOUNT } from '../../../iac/draft';
import { Unresolved } from '../../../iac/values';

/** The partition of a region (China and GovCloud regions have their own). */
export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** An IAM ARN when the account is known; otherwise Unresolved. */
export function iamArn(origin: Origin, kind: 'user' | 'group' | 'role' | 'policy', path: string, name: string): string | Unresolved {
  if (origin.account === UNKNOWN_ACCOUNT) return new Unresolved('the account id is not known from the code (pass --account)');
  return `arn:${partitionOf(origin.region)}:iam::${origin.account}:${kind}${path}${name}`;
}

/**
 * A resource's ARN as a plan gives it: the value, or unknown until apply. `alwaysSet` says AWS
 * certainly assigns one (so `exists` can decide on it).
 */
export function planArn(address: string, value: unknown, alwaysSet = false): string | Unresolved {
  return typeof value === 'string' ? value : new Unresolved(`${address} ARN is known only after apply`, [], alwaysSet);
}
