import type { Draft } from '../../../iac/draft';
import type { TfInstance } from '../../../iac/terraform-plan';
import { bool, isUnresolved, str, Unresolved } from '../../../iac/values';
import { RUNTIME_ONLY_REASON } from '../../../core/types';
import { gcpServiceAccount } from '../types/iam';
import type { GcpContext } from './context';
import { placedId, UNPLACED } from './iam-policy';
import { serviceAccountEmail } from './names';

/**
 * `google_service_account` and `google_service_account_key` → `gcp.iam.service-account` with its
 * keys. A key Terraform makes is user-managed and enabled; its id and validity exist only once it
 * is created. Of an account the plan creates, the user-managed keys are those the code declares;
 * of one it does not, others may exist. Keys of an account this code does not declare make an
 * account of their own, with only its keys' known part.
 */

/** `projects/p/serviceAccounts/email` and `email` forms of a service account id, as the email. */
const emailOf = (v: string): string => v.replace(/^projects\/[^/]+\/serviceAccounts\//, '');

function keyOf(k: TfInstance): Record<string, unknown> {
  const uploaded = k.values.public_key_data;
  return {
    keyId: new Unresolved(`${k.address} key id is known only after apply`),
    keyType: 'USER_MANAGED',
    origin: isUnresolved(uploaded) ? uploaded : typeof uploaded === 'string' && uploaded !== '' ? 'USER_PROVIDED' : 'GOOGLE_PROVIDED',
    validAfter: new Unresolved(RUNTIME_ONLY_REASON),
    validBefore: new Unresolved(RUNTIME_ONLY_REASON),
    disabled: false,
  };
}

export function mapServiceAccounts(ctx: GcpContext): Draft[] {
  const accounts = ctx.plan.byType('google_service_account');
  const keysOf = new Map<TfInstance, TfInstance[]>();
  const external = new Map<string, TfInstance[]>();
  const maybe: TfInstance[] = [];
  for (const k of ctx.plan.byType('google_service_account_key')) {
    const { targets, definite, value } = ctx.link(k, 'service_account_id', ['google_service_account'], (sa) => {
      const e = serviceAccountEmail(ctx, sa);
      return typeof e === 'string' ? e : undefined;
    }, emailOf);
    if (targets.length > 0 && definite) for (const t of targets) keysOf.set(t, [...(keysOf.get(t) ?? []), k]);
    else if (targets.length === 0 && (value !== undefined || accounts.length === 0)) external.set(value ?? UNPLACED, [...(external.get(value ?? UNPLACED) ?? []), k]);
    else maybe.push(k);
  }
  const out: Draft[] = [];
  for (const sa of accounts) {
    const project = ctx.projectOf(sa);
    const email = serviceAccountEmail(ctx, sa);
    const d = draft(ctx, sa, project, email);
    d.set('displayName', str(sa.values.display_name, ''));
    d.set('disabled', bool(sa.values.disabled, false));
    const keys: unknown[] = (keysOf.get(sa) ?? []).map(keyOf);
    if (!ctx.creates(sa)) keys.push(new Unresolved(`${sa.address} exists already: keys made outside this code are not visible in it`));
    const may = maybe[0];
    if (may) keys.push(new Unresolved(`${may.address} may be a key of this account: its service_account_id is known only after apply`));
    d.set('keys', keys);
    out.push(d);
  }
  for (const [email, keys] of external) {
    const first = keys.reduce((a, c) => (c.line < a.line ? c : a));
    const why = `service account ${email || '(known only after apply)'} is not declared in this code`;
    const project = /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1] ?? ctx.projectOf(first);
    const d = draft(ctx, first, project, placedId(email, 'service account'));
    d.set('displayName', new Unresolved(`${why}: its name is not visible in it`));
    d.set('disabled', new Unresolved(`${why}: whether it is disabled is not visible in it`));
    d.set('keys', [...keys.map(keyOf), new Unresolved(`${why}: its other keys are not visible in it`)]);
    out.push(d);
  }
  return out;
}

function draft(ctx: GcpContext, at: TfInstance, project: string, email: string | Unresolved): Draft {
  const d = ctx.draft(gcpServiceAccount, at, project);
  if (typeof email === 'string') {
    d.id = `//iam.googleapis.com/projects/${project}/serviceAccounts/${email}`;
    d.name = email;
  }
  d.set('email', email);
  return d;
}
