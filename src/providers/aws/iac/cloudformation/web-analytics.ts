import { awsCloudFrontDistribution } from '../../types/cloudfront-distribution';
import { awsOpenSearchDomain } from '../../types/opensearch-domain';
import { awsRedshiftCluster } from '../../types/redshift-cluster';
import type { Draft } from '../../../../iac/draft';
import { at, bool, int, isUnresolved, list, optStr, str, strList, Unresolved } from '../../../../iac/values';
import { originKind } from '../origin-kind';
import type { CfnContext, CfnResource } from './context';

const deployed = (r: CfnResource, what = 'ARN'): Unresolved => new Unresolved(`${r.logicalId} ${what} is known only after deploy`, [], true);

/** Whether an `AWS::Logs::Delivery` of the template carries the distribution's access logs (standard logging v2). */
function deliveredByTemplate(ctx: CfnContext, dist: CfnResource): boolean | Unresolved {
  const sources = ctx.ofType('AWS::Logs::DeliverySource').filter((s) => s.props.LogType === 'ACCESS_LOGS' && ctx.targets(s.props.ResourceArn, dist.type, null).includes(dist));
  const delivered = sources.some((s) => ctx.ofType('AWS::Logs::Delivery').some((d) => ctx.targets(d.props.DeliverySourceName, 'AWS::Logs::DeliverySource', 'Name').includes(s)));
  return delivered || new Unresolved(`${dist.logicalId}: no CloudWatch Logs delivery of this template carries its access logs, and one may be declared outside it (standard logging v2)`);
}

/** `AWS::CloudFront::Distribution`: behaviours, certificate (the default *.cloudfront.net one when none is given), origins, web ACL, logging. */
export function mapCloudFront(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::CloudFront::Distribution').map((r) => {
    const c = r.props.DistributionConfig;
    const d = ctx.draft(awsCloudFrontDistribution, r);
    d.setCopied('id', deployed(r, 'distribution id'));
    d.setCopied('arn', deployed(r));
    d.setCopied('domainName', deployed(r, 'domain name'));
    d.set('aliases', strList(at(c, 'Aliases')));
    d.set('enabled', bool(at(c, 'Enabled'), true));
    const behaviour = (b: unknown, path: unknown) => ({ pathPattern: str(path, ''), targetOriginId: str(at(b, 'TargetOriginId'), ''), viewerProtocolPolicy: str(at(b, 'ViewerProtocolPolicy')) });
    const ordered = list(c, 'CacheBehaviors');
    d.set('cacheBehaviors', isUnresolved(ordered) ? ordered : [behaviour(at(c, 'DefaultCacheBehavior'), '*'), ...ordered.map((b) => behaviour(b, at(b, 'PathPattern')))]);
    const vc = at(c, 'ViewerCertificate');
    const builtin = vc === undefined ? true : bool(at(vc, 'CloudFrontDefaultCertificate'), false);
    const acm = at(vc, 'AcmCertificateArn');
    const iam = at(vc, 'IamCertificateId');
    const source = isUnresolved(builtin) ? builtin : builtin ? 'cloudfront' : isUnresolved(acm) || optStr(acm) ? 'acm' : isUnresolved(iam) || optStr(iam) ? 'iam' : 'cloudfront';
    d.set('viewerCertificate', {
      source,
      minimumProtocolVersion: source === 'cloudfront' ? 'TLSv1' : str(at(vc, 'MinimumProtocolVersion'), 'TLSv1'),
      sslSupportMethod: optStr(at(vc, 'SslSupportMethod')),
    });
    const origins = list(c, 'Origins');
    if (isUnresolved(origins)) d.set('origins', origins);
    else {
      d.set(
        'origins',
        origins.map((o) => {
          const custom = at(o, 'CustomOriginConfig');
          const s3 = at(o, 'S3OriginConfig');
          return {
            id: str(at(o, 'Id'), ''),
            domainName: str(at(o, 'DomainName'), ''),
            kind: originKind(at(o, 'DomainName'), { s3: s3 !== undefined, vpc: at(o, 'VpcOriginConfig') !== undefined }),
            originAccessControlId: optStr(at(o, 'OriginAccessControlId')),
            originAccessIdentity: optStr(at(s3, 'OriginAccessIdentity')),
            protocolPolicy: custom === undefined ? null : str(at(custom, 'OriginProtocolPolicy')),
            // Left out, CloudFront applies its own default list: not something this template states.
            sslProtocols:
              custom === undefined ? [] : at(custom, 'OriginSSLProtocols') === undefined ? new Unresolved(`${r.logicalId}: origin ${String(at(o, 'Id'))} lists no OriginSSLProtocols, so CloudFront's default applies`) : strList(at(custom, 'OriginSSLProtocols')),
          };
        }),
      );
      // An origin access control of this template: certainly set, its id known at deploy.
      origins.forEach((o, n) => {
        const id = at(o, 'OriginAccessControlId');
        if (isUnresolved(id) && ctx.targets(id, 'AWS::CloudFront::OriginAccessControl', null).length > 0) d.setCopied(`origins.${n}.originAccessControlId`, new Unresolved(id.reason, id.refs, true));
      });
    }
    d.set('webAclId', optStr(at(c, 'WebACLId')));
    const lg = at(c, 'Logging');
    d.set('logging', lg === undefined ? null : isUnresolved(lg) ? lg : { bucket: str(at(lg, 'Bucket'), ''), prefix: str(at(lg, 'Prefix'), ''), includeCookies: bool(at(lg, 'IncludeCookies'), false) });
    d.set('standardLogging', deliveredByTemplate(ctx, r));
    return d;
  });
}

const LOG_TYPES = { auditLogs: 'AUDIT_LOGS', applicationLogs: 'ES_APPLICATION_LOGS', indexSlowLogs: 'INDEX_SLOW_LOGS', searchSlowLogs: 'SEARCH_SLOW_LOGS' } as const;

/**
 * `AWS::OpenSearchService::Domain` and `AWS::Elasticsearch::Domain`: no encryption or fine-grained
 * access control unless the template turns them on; HTTPS and the TLS policy, when the template
 * does not set them, are AWS's choice at deploy (unknown).
 */
export function mapOpenSearch(ctx: CfnContext): Draft[] {
  return ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'].flatMap((type) =>
    ctx.ofType(type).map((r) => {
      const p = r.props;
      const d = ctx.draft(awsOpenSearchDomain, r);
      const name = ctx.name(r, 'DomainName', 'domain name');
      d.set('name', name);
      if (typeof name === 'string') d.name = name;
      d.setCopied('arn', deployed(r));
      const version = type === 'AWS::OpenSearchService::Domain' ? str(p.EngineVersion) : mapVersion(str(p.ElasticsearchVersion));
      d.set('engineVersion', version ?? new Unresolved(`${r.logicalId}: AWS picks the engine version at deploy`));
      const vpc = p.VPCOptions;
      d.setCopied('vpcId', vpc === undefined ? null : new Unresolved(`${r.logicalId}: the VPC comes from its subnets at deploy`, [], true));
      d.set('encryptionAtRest', bool(at(p.EncryptionAtRestOptions, 'Enabled'), false));
      d.setCopied('kmsKeyId', optStr(at(p.EncryptionAtRestOptions, 'KmsKeyId')));
      d.set('nodeToNodeEncryption', bool(at(p.NodeToNodeEncryptionOptions, 'Enabled'), false));
      const ep = p.DomainEndpointOptions;
      const awsDecides = (what: string) => new Unresolved(`${r.logicalId} does not set ${what}: AWS decides at deploy`);
      d.set('enforceHttps', bool(at(ep, 'EnforceHTTPS')) ?? awsDecides('EnforceHTTPS'));
      d.set('tlsSecurityPolicy', str(at(ep, 'TLSSecurityPolicy')) ?? awsDecides('TLSSecurityPolicy'));
      d.set('accessPolicy', p.AccessPolicies === undefined ? null : ctx.policy(r, p.AccessPolicies));
      const aso = p.AdvancedSecurityOptions;
      d.set('fineGrainedAccessControl', bool(at(aso, 'Enabled'), false));
      d.set('internalUserDatabase', bool(at(aso, 'InternalUserDatabaseEnabled'), false));
      d.set('anonymousAuth', bool(at(aso, 'AnonymousAuthEnabled'), false));
      const logs = p.LogPublishingOptions;
      d.set(
        'logPublishing',
        isUnresolved(logs) ? logs : Object.fromEntries(Object.entries(LOG_TYPES).map(([key, t]) => [key, at(logs, t) === undefined ? false : bool(at(logs, t, 'Enabled'), false)])),
      );
      return d;
    }),
  );
}

const mapVersion = (v: string | null | Unresolved): string | null | Unresolved => (typeof v === 'string' ? `Elasticsearch_${v}` : v);

/** require_ssl of the parameter group a cluster names: a group of this template, or the original default one. */
function requireSsl(ctx: CfnContext, cluster: CfnResource): unknown {
  const ref = cluster.props.ClusterParameterGroupName;
  if (ref === undefined) return new Unresolved(`${cluster.logicalId} names no parameter group: AWS assigns its current default group, whose require_ssl depends on when the cluster is created`);
  const group = ctx.targets(ref, 'AWS::Redshift::ClusterParameterGroup', null)[0];
  if (!group) return ref === 'default.redshift-1.0' ? false : isUnresolved(ref) ? ref : new Unresolved(`parameter group ${String(ref)} is not in this template`);
  const params = list(group.props.Parameters);
  if (isUnresolved(params)) return params;
  const p = params.find((x) => at(x, 'ParameterName') === 'require_ssl');
  const v = at(p, 'ParameterValue');
  return p === undefined ? false : isUnresolved(v) ? v : String(v).toLowerCase() === 'true';
}

/**
 * `AWS::Redshift::Cluster` with its `AWS::Redshift::ClusterParameterGroup` (require_ssl) and
 * `LoggingProperties` (audit logging on when given). Encryption and public access left unset take
 * AWS's defaults for new clusters, which changed: unknown.
 */
export function mapRedshift(ctx: CfnContext): Draft[] {
  return ctx.ofType('AWS::Redshift::Cluster').map((r) => {
    const p = r.props;
    const d = ctx.draft(awsRedshiftCluster, r);
    const id = ctx.name(r, 'ClusterIdentifier', 'cluster identifier');
    d.set('clusterIdentifier', id);
    if (typeof id === 'string') d.name = id;
    d.setCopied('arn', deployed(r));
    d.set('nodeType', str(p.NodeType, ''));
    const changedDefault = (prop: string) => new Unresolved(`${r.logicalId} sets no ${prop}: AWS's default for new clusters decides it`);
    d.set('encrypted', bool(p.Encrypted) ?? changedDefault('Encrypted'));
    d.setCopied('kmsKeyId', optStr(p.KmsKeyId));
    d.set('publiclyAccessible', bool(p.PubliclyAccessible) ?? changedDefault('PubliclyAccessible'));
    d.set('enhancedVpcRouting', bool(p.EnhancedVpcRouting, false));
    d.set('automatedSnapshotRetentionPeriod', int(p.AutomatedSnapshotRetentionPeriod, 1));
    d.set('allowVersionUpgrade', bool(p.AllowVersionUpgrade, true));
    d.setCopied('parameterGroupName', optStr(p.ClusterParameterGroupName));
    d.set('requireSsl', requireSsl(ctx, r));
    const lg = p.LoggingProperties;
    d.set(
      'auditLogging',
      lg === undefined ? { enabled: false, destination: null, logExports: [] } : isUnresolved(lg) ? lg : { enabled: true, destination: str(at(lg, 'LogDestinationType'), 's3'), logExports: strList(at(lg, 'LogExports')) },
    );
    return d;
  });
}
