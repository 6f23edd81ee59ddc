import { awsCloudFrontDistribution } from '../../types/cloudfront-distribution';
import { awsOpenSearchDomain } from '../../types/opensearch-domain';
import { awsRedshiftCluster } from '../../types/redshift-cluster';
import type { Draft } from '../../../../iac/draft';
import { at, block, bool, int, isUnresolved, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import { originKind } from '../origin-kind';
import { Children, type TfContext } from './context';
import type { TfInstance } from '../../../../iac/terraform-plan';
import { planArn } from '../arn';

/**
 * A field of a nested block known only after apply, set in the configuration from attributes of
 * resources of `types` that this plan manages and from nothing else: it is certainly set (an OAC
 * id, an OAI path), its value unknown. Otherwise (a variable, a conditional on one) it may be null.
 */
function setFromPlan(ctx: TfContext, inst: TfInstance, attr: string, field: string, types: string[]): boolean {
  const refs = ctx.plan.blockRefs(inst, attr, field);
  if (refs.length === 0) return false;
  const targets = ctx.plan.targets(inst, refs);
  return targets.length > 0 && targets.every((t) => t.inst.mode === 'managed' && types.includes(t.inst.type)) && refs.every((r) => targets.some((t) => r.startsWith(`${t.inst.type}.`)));
}

/** Whether a CloudWatch Logs delivery of this plan carries the distribution's access logs (standard logging v2). */
function deliveredByPlan(ctx: TfContext, dist: TfInstance): boolean | Unresolved {
  const sources = ctx.plan.byType('aws_cloudwatch_log_delivery_source').filter((s) => s.values.log_type === 'ACCESS_LOGS' && ctx.link(s, 'resource_arn', ['aws_cloudfront_distribution'], (t) => t.values.arn).targets.includes(dist));
  const deliveries = ctx.plan.byType('aws_cloudwatch_log_delivery');
  const delivered = sources.some((s) => deliveries.some((d) => ctx.link(d, 'delivery_source_name', ['aws_cloudwatch_log_delivery_source'], (t) => t.values.name).targets.includes(s)));
  return delivered || new Unresolved(`${dist.address}: no CloudWatch Logs delivery of this code carries its access logs, and one may be declared outside it (standard logging v2)`);
}

/**
 * `aws_cloudfront_distribution`: cache behaviours, viewer certificate (the provider's default
 * minimum protocol is TLSv1), origins, web ACL and `logging_config` (legacy logging is on when
 * the block is there); standard logging v2 from `aws_cloudwatch_log_delivery_source` +
 * `aws_cloudwatch_log_delivery` of the same plan, else unknown.
 */
export function mapCloudFront(ctx: TfContext): Draft[] {
  return ctx.plan.byType('aws_cloudfront_distribution').map((i) => {
    const v = i.values;
    const d = ctx.draft(awsCloudFrontDistribution, i);
    const id = typeof v.id === 'string' ? v.id : new Unresolved(`${i.address} id is assigned at apply`, [], true);
    d.setCopied('id', id);
    d.name = typeof id === 'string' ? id : i.address;
    const arn = planArn(i.address, v.arn, true);
    d.setCopied('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.setCopied('domainName', typeof v.domain_name === 'string' ? v.domain_name : new Unresolved(`${i.address} domain name is assigned at apply`, [], true));
    d.set('aliases', strList(v.aliases));
    d.set('enabled', bool(v.enabled, true));
    const behaviour = (b: unknown, path: unknown) => ({ pathPattern: str(path, ''), targetOriginId: str(at(b, 'target_origin_id'), ''), viewerProtocolPolicy: str(at(b, 'viewer_protocol_policy')) });
    const ordered = list(v.ordered_cache_behavior);
    d.set('cacheBehaviors', isUnresolved(ordered) ? ordered : [behaviour(block(v.default_cache_behavior), '*'), ...ordered.map((b) => behaviour(b, at(b, 'path_pattern')))]);
    const vc = block(v.viewer_certificate);
    const builtin = bool(at(vc, 'cloudfront_default_certificate'), false);
    const acm = at(vc, 'acm_certificate_arn');
    const iam = at(vc, 'iam_certificate_id');
    const source = isUnresolved(builtin) ? builtin : builtin ? 'cloudfront' : isUnresolved(acm) || optStr(acm) ? 'acm' : isUnresolved(iam) || optStr(iam) ? 'iam' : 'cloudfront';
    d.set('viewerCertificate', {
      source,
      // With the default certificate CloudFront fixes the policy at TLSv1, whatever the code says.
      minimumProtocolVersion: source === 'cloudfront' ? 'TLSv1' : str(at(vc, 'minimum_protocol_version'), 'TLSv1'),
      sslSupportMethod: optStr(at(vc, 'ssl_support_method')),
    });
    const origins = list(v.origin);
    if (isUnresolved(origins)) d.set('origins', origins);
    else {
      // A domain known only after apply: the configuration's references say whether it is a bucket's,
      // when only one origin's domain is unknown (set blocks do not keep the configuration's order).
      const unknownDomains = origins.filter((o) => isUnresolved(at(o, 'domain_name')));
      const domainRefs = unknownDomains.length === 1 ? ctx.plan.blockRefs(i, 'origin', 'domain_name') : [];
      const domainOf = (o: unknown): unknown => {
        const dn = at(o, 'domain_name');
        return isUnresolved(dn) ? new Unresolved(dn.reason, domainRefs) : dn;
      };
      d.set(
        'origins',
        origins.map((o) => {
          const custom = block(o, 'custom_origin_config');
          const s3 = block(o, 's3_origin_config');
          return {
            id: str(at(o, 'origin_id'), ''),
            domainName: str(at(o, 'domain_name'), ''),
            kind: originKind(domainOf(o), { s3: s3 !== undefined, vpc: block(o, 'vpc_origin_config') !== undefined }),
            originAccessControlId: optStr(at(o, 'origin_access_control_id')),
            originAccessIdentity: optStr(at(s3, 'origin_access_identity')),
            protocolPolicy: custom === undefined ? null : str(at(custom, 'origin_protocol_policy')),
            sslProtocols: custom === undefined ? [] : strList(at(custom, 'origin_ssl_protocols')),
          };
        }),
      );
      // An OAC or OAI created by this plan: certainly set, its id unknown until apply.
      const oac = setFromPlan(ctx, i, 'origin', 'origin_access_control_id', ['aws_cloudfront_origin_access_control']);
      origins.forEach((o, n) => {
        const id = at(o, 'origin_access_control_id');
        if (oac && isUnresolved(id)) d.setCopied(`origins.${n}.originAccessControlId`, new Unresolved(id.reason, id.refs, true));
      });
    }
    d.set('webAclId', optStr(v.web_acl_id));
    const lc = block(v.logging_config);
    d.set('logging', lc === undefined ? null : isUnresolved(lc) ? lc : { bucket: str(at(lc, 'bucket'), ''), prefix: str(at(lc, 'prefix'), ''), includeCookies: bool(at(lc, 'include_cookies'), false) });
    d.set('standardLogging', deliveredByPlan(ctx, i));
    return d;
  });
}

const LOG_TYPES = { auditLogs: 'AUDIT_LOGS', applicationLogs: 'ES_APPLICATION_LOGS', indexSlowLogs: 'INDEX_SLOW_LOGS', searchSlowLogs: 'SEARCH_SLOW_LOGS' } as const;

/**
 * `aws_opensearch_domain` and `aws_elasticsearch_domain`, with their `…_domain_policy`. The
 * provider's defaults: no encryption at rest or between nodes when the block is left out, HTTPS
 * enforced once `domain_endpoint_options` is given (without it, AWS decides), no fine-grained
 * access control; the TLS policy AWS picks when none is given is known only after apply.
 */
export function mapOpenSearch(ctx: TfContext): Draft[] {
  const types = ['aws_opensearch_domain', 'aws_elasticsearch_domain'];
  const byName = (t: TfInstance): unknown => t.values.domain_name;
  const policies = [new Children(ctx, 'aws_opensearch_domain_policy', 'domain_name', types, byName), new Children(ctx, 'aws_elasticsearch_domain_policy', 'domain_name', types, byName)];
  return types.flatMap((type) =>
    ctx.plan.byType(type).map((i) => {
      const v = i.values;
      const d = ctx.draft(awsOpenSearchDomain, i);
      const name = str(v.domain_name) ?? new Unresolved(`${i.address} domain_name is known only after apply`);
      d.set('name', name);
      d.name = typeof name === 'string' ? name : i.address;
      const arn = planArn(i.address, v.arn, true);
      d.setCopied('arn', arn);
      if (typeof arn === 'string') d.id = arn;
      d.setTerraformTags(v.tags_all, v.tags);
      const version = type === 'aws_opensearch_domain' ? str(v.engine_version) : str(v.elasticsearch_version);
      d.set('engineVersion', version === null ? new Unresolved(`${i.address}: AWS picks the engine version at apply`) : isUnresolved(version) || type === 'aws_opensearch_domain' ? version : `Elasticsearch_${version}`);
      const vpc = block(v.vpc_options);
      // A domain with VPC options is in a VPC: which one follows from its subnets at apply.
      const vpcId = at(vpc, 'vpc_id');
      d.setCopied('vpcId', vpc === undefined ? null : isUnresolved(vpc) ? vpc : typeof vpcId === 'string' && vpcId !== '' ? vpcId : new Unresolved(`${i.address}: the VPC comes from its subnets at apply`, [], true));
      const ear = block(v.encrypt_at_rest);
      d.set('encryptionAtRest', ear === undefined ? false : bool(at(ear, 'enabled'), false));
      d.setCopied('kmsKeyId', ear === undefined ? null : optStr(at(ear, 'kms_key_id')));
      const n2n = block(v.node_to_node_encryption);
      d.set('nodeToNodeEncryption', n2n === undefined ? false : bool(at(n2n, 'enabled'), false));
      const ep = block(v.domain_endpoint_options);
      const apiDefault = new Unresolved(`${i.address} sets no domain_endpoint_options: AWS decides HTTPS and the TLS policy at apply`);
      d.set('enforceHttps', ep === undefined ? apiDefault : bool(at(ep, 'enforce_https'), true));
      d.set('tlsSecurityPolicy', ep === undefined ? apiDefault : (str(at(ep, 'tls_security_policy')) ?? new Unresolved(`${i.address}: AWS picks the TLS security policy at apply`)));
      const pol = policies.map((c) => c.of(i, 'domain_name')).find((x) => x !== undefined);
      if (isUnresolved(pol)) d.set('accessPolicy', pol);
      else if (pol) d.set('accessPolicy', ctx.policy(pol, pol.values.access_policies));
      else if (typeof v.access_policies === 'string' && v.access_policies !== '') d.set('accessPolicy', ctx.policy(i, v.access_policies));
      else if (isUnresolved(v.access_policies)) d.set('accessPolicy', v.access_policies);
      else d.set('accessPolicy', ctx.creates(i) ? null : new Unresolved(`${i.address} exists already and this plan does not declare its access policy`));
      const aso = block(v.advanced_security_options);
      d.set('fineGrainedAccessControl', aso === undefined ? false : bool(at(aso, 'enabled'), false));
      d.set('internalUserDatabase', aso === undefined ? false : bool(at(aso, 'internal_user_database_enabled'), false));
      d.set('anonymousAuth', aso === undefined ? false : bool(at(aso, 'anonymous_auth_enabled'), false));
      const logs = list(v.log_publishing_options);
      d.set(
        'logPublishing',
        isUnresolved(logs)
          ? logs
          : Object.fromEntries(
              Object.entries(LOG_TYPES).map(([key, t]) => {
                const o = logs.find((x) => at(x, 'log_type') === t);
                return [key, o === undefined ? false : bool(at(o, 'enabled'), true)];
              }),
            ),
      );
      return d;
    }),
  );
}

/** What require_ssl is for a cluster's parameter group name: from a group of this plan, or the original default group. */
function requireSsl(ctx: TfContext, cluster: TfInstance): unknown {
  const name = cluster.values.cluster_parameter_group_name;
  if (name === undefined || name === null) return new Unresolved(`${cluster.address} names no parameter group: AWS assigns its current default group, whose require_ssl depends on when the cluster is created`);
  const { targets, definite } = ctx.link(cluster, 'cluster_parameter_group_name', ['aws_redshift_parameter_group'], (t) => t.values.name);
  if (targets.length === 0) {
    if (name === 'default.redshift-1.0') return false;
    return isUnresolved(name) ? name : new Unresolved(`parameter group ${String(name)} is not in this plan`);
  }
  if (!definite) return new Unresolved(`${cluster.address}: its parameter group could not be traced to one group of this plan`);
  const params = list(targets[0].values.parameter);
  if (isUnresolved(params)) return params;
  const p = params.find((x) => at(x, 'name') === 'require_ssl');
  return p === undefined ? false : mapBool(at(p, 'value'));
}

const mapBool = (v: unknown): unknown => (isUnresolved(v) ? v : String(v).toLowerCase() === 'true');

/**
 * `aws_redshift_cluster` with its `aws_redshift_parameter_group` (require_ssl) and
 * `aws_redshift_logging` (or the cluster's own `logging` block). Encryption and public access left
 * unset take a default that changed with AWS's newer security defaults and the provider version:
 * unknown, as is the default parameter group's require_ssl.
 */
export function mapRedshift(ctx: TfContext): Draft[] {
  const byId = (t: TfInstance): unknown => t.values.cluster_identifier;
  const loggings = new Children(ctx, 'aws_redshift_logging', 'cluster_identifier', ['aws_redshift_cluster'], byId);
  return ctx.plan.byType('aws_redshift_cluster').map((i) => {
    const v = i.values;
    const d = ctx.draft(awsRedshiftCluster, i);
    const id = str(v.cluster_identifier) ?? new Unresolved(`${i.address} cluster_identifier is known only after apply`);
    d.set('clusterIdentifier', id);
    d.name = typeof id === 'string' ? id : i.address;
    const arn = planArn(i.address, v.arn, true);
    d.setCopied('arn', arn);
    if (typeof arn === 'string') d.id = arn;
    d.setTerraformTags(v.tags_all, v.tags);
    d.set('nodeType', str(v.node_type, ''));
    const changedDefault = (attr: string) => new Unresolved(`${i.address} sets no ${attr}: its default depends on the provider version and AWS's defaults for new clusters`);
    d.set('encrypted', bool(v.encrypted) ?? changedDefault('encrypted'));
    d.setCopied('kmsKeyId', optStr(v.kms_key_id));
    d.set('publiclyAccessible', bool(v.publicly_accessible) ?? changedDefault('publicly_accessible'));
    d.set('enhancedVpcRouting', bool(v.enhanced_vpc_routing, false));
    d.set('automatedSnapshotRetentionPeriod', int(v.automated_snapshot_retention_period, 1));
    d.set('allowVersionUpgrade', bool(v.allow_version_upgrade, true));
    d.setCopied('parameterGroupName', optStr(v.cluster_parameter_group_name));
    d.set('requireSsl', requireSsl(ctx, i));
    const separate = loggings.of(i, 'cluster_identifier');
    const own = block(v.logging);
    const logging = (enabled: unknown, destination: unknown, exports: unknown): Record<string, unknown> | Unresolved => {
      if (isUnresolved(enabled)) return enabled;
      return enabled ? { enabled: true, destination: str(destination, 's3'), logExports: strList(exports) } : { enabled: false, destination: null, logExports: [] };
    };
    if (isUnresolved(separate)) d.set('auditLogging', separate);
    else if (separate) d.set('auditLogging', logging(true, separate.values.log_destination_type, separate.values.log_exports));
    else if (own !== undefined) d.set('auditLogging', isUnresolved(own) ? own : logging(bool(at(own, 'enable'), false), at(own, 'log_destination_type'), at(own, 'log_exports')));
    else d.set('auditLogging', ctx.creates(i) ? logging(false, null, []) : new Unresolved(`${i.address} exists already and this plan does not declare its audit logging`));
    return d;
  });
}
