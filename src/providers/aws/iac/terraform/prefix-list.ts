import { awsEc2PrefixList } from '../../types/ec2-prefix-list';
import { type Draft, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { at, isUnresolved, list, optStr, str, Unresolved } from '../../../../iac/values';
import { Children, type TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';

const LIST = 'aws_ec2_managed_prefix_list';
const ENTRY = 'aws_ec2_managed_prefix_list_entry';

/**
 * `aws_ec2_managed_prefix_list` with its inline `entry` blocks and the
 * `aws_ec2_managed_prefix_list_entry` resources that add to it. A list this plan creates and
 * whose configuration sets no `entry` reports its entries as known after apply (the argument is
 * optional and computed): it starts empty and holds only the entries of entry resources.
 */
export function mapPrefixLists(ctx: TfContext): Draft[] {
  const entries = new Children(ctx, ENTRY, 'prefix_list_id', [LIST], (l) => l.values.id);
  return ctx.plan.byType(LIST).map((l) => {
    const d = ctx.draft(awsEc2PrefixList, l);
    const v = l.values;
    d.id = codeId(ctx, l);
    if (typeof v.id === 'string') d.set('prefixListId', v.id);
    else d.runtimeOnly('prefixListId');
    const name = str(v.name);
    d.set('prefixListName', name);
    d.name = typeof name === 'string' && name !== '' ? name : l.address;
    d.setTerraformTags(v.tags_all, v.tags);
    d.set('ownerId', typeof v.owner_id === 'string' ? v.owner_id : ctx.account === UNKNOWN_ACCOUNT ? new Unresolved(`${l.address} is created in an account the plan does not name (pass --account)`) : ctx.account);
    d.set('addressFamily', str(v.address_family));
    const inline = list(v, 'entry');
    const own: unknown[] = isUnresolved(inline)
      ? ctx.creates(l) && ctx.plan.configures(l, 'entry') === false
        ? []
        : [inline]
      : inline.map((e) => ({ cidr: str(at(e, 'cidr')), description: optStr(at(e, 'description')) }));
    for (const e of entries.all(l)) own.push({ cidr: str(e.values.cidr), description: optStr(e.values.description) });
    const maybe = entries.maybeAny(l);
    const seen = new Set<string>();
    const unique = own.filter((e) => {
      const cidr = (e as { cidr?: unknown }).cidr;
      if (typeof cidr !== 'string') return true;
      if (seen.has(cidr)) return false;
      seen.add(cidr);
      return true;
    });
    const whole = unique.find(isUnresolved);
    d.set('entries', maybe ? new Unresolved(`${maybe.address} may add entries to this list: its prefix_list_id could not be traced to one list`) : (whole ?? unique));
    return d;
  });
}

/**
 * The snapshot id of a prefix list of the plan: its ARN once it exists, else its address in the
 * plan or configuration root (the form every id without a cloud id takes, see `readConfig`).
 */
function codeId(ctx: TfContext, l: TfInstance): string {
  const { account, region } = ctx.origin(l);
  if (typeof l.values.arn === 'string') return l.values.arn;
  if (typeof l.values.id === 'string' && account !== UNKNOWN_ACCOUNT && region !== UNKNOWN_REGION) return `arn:${partitionOf(region)}:ec2:${region}:${account}:prefix-list/${l.values.id}`;
  return `terraform:${ctx.file}#${l.address}`;
}

/** Terraform lists each step of a traversal and the index expressions in it; nothing else may appear. */
const step = (main: string, r: string): boolean => r === main || r === 'count.index' || r === 'each.key' || (main.startsWith(r) && (main[r.length] === '.' || main[r.length] === '['));

/**
 * A prefix list id a rule names (`prefix_list_ids` element, `prefix_list_id`): when it is known
 * only after apply and its expression is exactly a reference to the `id` of one prefix list of
 * this plan (`aws_ec2_managed_prefix_list.x.id`), that list's snapshot id; otherwise as it is. A
 * reference through a variable, a local, a module or a condition may lead elsewhere: unknown.
 */
export function prefixListRef(ctx: TfContext, from: TfInstance, v: unknown): unknown {
  if (!isUnresolved(v) || v.refs.length === 0) return v;
  const main = v.refs.reduce((a, b) => (b.length > a.length ? b : a));
  if (!main.startsWith(`${LIST}.`) || !v.refs.every((r) => step(main, r))) return v;
  const targets = ctx.plan.targets(from, [main]);
  if (targets.length !== 1 || targets[0].attr !== 'id' || targets[0].inst.mode !== 'managed' || targets[0].inst.type !== LIST) return v;
  return codeId(ctx, targets[0].inst);
}

/** A rule's prefix list ids, each linked to a list of the plan where it names one (see `prefixListRef`). */
export function prefixListIds(ctx: TfContext, from: TfInstance, v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (isUnresolved(v)) return [prefixListRef(ctx, from, v)];
  return (Array.isArray(v) ? v : [v]).map((x) => (isUnresolved(x) ? prefixListRef(ctx, from, x) : String(x)));
}
