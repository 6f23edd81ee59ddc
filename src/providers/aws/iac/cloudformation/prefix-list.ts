import { awsEc2PrefixList } from '../../types/ec2-prefix-list';
import { type Draft, UNKNOWN_ACCOUNT } from '../../../../iac/draft';
import { at, isUnresolved, list, optStr, str, Unresolved } from '../../../../iac/values';
import type { CfnContext, CfnResource } from './context';

/**
 * `AWS::EC2::PrefixList`: a managed prefix list the template declares, with the entries it
 * declares. Its `pl-` id is assigned at deploy, so the security-group rules of the template name
 * it by its id in the snapshot (`codeId`), which is what the public-ingress facts look it up by.
 */
export function mapPrefixLists(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::EC2::PrefixList').map((r) => {
    const d = ctx.draft(awsEc2PrefixList, r);
    d.id = codeId(ctx, r);
    const p = r.props;
    d.runtimeOnly('prefixListId');
    const name = str(p.PrefixListName);
    d.set('prefixListName', name);
    if (typeof name === 'string' && name !== '') d.name = name;
    d.set('ownerId', ctx.account === UNKNOWN_ACCOUNT ? new Unresolved('the account id is not known from the template (pass --account)') : ctx.account);
    d.set('addressFamily', str(p.AddressFamily));
    const entries = list(p, 'Entries');
    d.set('entries', isUnresolved(entries) ? entries : entries.map((e) => (isUnresolved(e) ? e : { cidr: str(at(e, 'Cidr')) ?? new Unresolved(`${r.logicalId}: an entry has no Cidr`), description: optStr(at(e, 'Description')) })));
    return d;
  });
}

/** The snapshot id of a prefix list the template declares. */
function codeId(ctx: CfnContext, r: CfnResource): string {
  return `cloudformation:${ctx.template.file}#${r.logicalId}`;
}

/**
 * A rule's `SourcePrefixListId` / `DestinationPrefixListId`: when it is exactly a reference to a
 * prefix list of this template that is created (`!Ref List`, `!GetAtt List.PrefixListId`), that
 * list's snapshot id; otherwise the value as it is (a `pl-` id, or unknown: a parameter, or a
 * condition that picks one of several lists at deploy).
 */
export function prefixListRef(ctx: CfnContext, v: unknown): unknown {
  // `present` marks a reference to an id every created list has; Fn::If, Fn::Select and the like
  // give a value that is not, so a list named under a condition is not taken for the one chosen.
  if (!isUnresolved(v) || !v.present || v.refs.length !== 1) return v;
  const target = ctx.get(v.refs[0]);
  return target?.type === 'AWS::EC2::PrefixList' ? codeId(ctx, target) : v;
}
