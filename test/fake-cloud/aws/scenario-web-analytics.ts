/**
 * CloudFront distributions (global: listed once per account), OpenSearch Service domains and
 * Redshift clusters of a scenario account (issue 17). Regional items name their region; field
 * names follow the snapshot's where one exists. Unset fields take AWS's defaults.
 */

export type ViewerProtocolPolicy = 'allow-all' | 'https-only' | 'redirect-to-https';

export interface ScenarioOrigin {
  id: string;
  domainName: string;
  /** An S3 origin (S3OriginConfig), with its legacy origin access identity if any. */
  s3?: { oai?: string };
  /** Origin access control id (OAC). */
  oac?: string;
  /** A custom origin (CustomOriginConfig). */
  custom?: { protocolPolicy: 'http-only' | 'match-viewer' | 'https-only'; sslProtocols?: string[] };
}

export interface ScenarioDistribution {
  id: string;
  aliases?: string[];
  enabled?: boolean;
  /** The default cache behaviour's viewer protocol policy (default allow-all, the API's own default). */
  viewerProtocolPolicy?: ViewerProtocolPolicy;
  /** Ordered cache behaviours. */
  behaviours?: { pathPattern: string; targetOriginId?: string; viewerProtocolPolicy: ViewerProtocolPolicy }[];
  /** Absent: the default *.cloudfront.net certificate (TLSv1). */
  certificate?: { source: 'acm' | 'iam'; minimumProtocolVersion: string };
  origins: ScenarioOrigin[];
  webAclId?: string;
  /** Legacy standard logging to a bucket; absent: off. */
  logging?: { bucket: string; prefix?: string; includeCookies?: boolean };
}

/** A CloudWatch Logs delivery source (standard logging v2), in us-east-1. */
export interface ScenarioLogDelivery {
  sourceName: string;
  /** Distribution ids whose access logs the source sends. */
  distributions: string[];
  logType?: string;
  /** Whether a delivery pairs the source with a destination (default true). */
  delivered?: boolean;
}

export type SearchLogType = 'AUDIT_LOGS' | 'ES_APPLICATION_LOGS' | 'INDEX_SLOW_LOGS' | 'SEARCH_SLOW_LOGS';

export interface ScenarioSearchDomain {
  name: string;
  region: string;
  engineVersion?: string;
  /** Absent: a public endpoint. */
  vpcId?: string;
  encryptionAtRest?: boolean;
  kmsKeyId?: string;
  nodeToNodeEncryption?: boolean;
  enforceHttps?: boolean;
  tlsSecurityPolicy?: string;
  accessPolicy?: unknown;
  fineGrainedAccessControl?: boolean;
  internalUserDatabase?: boolean;
  anonymousAuth?: boolean;
  logs?: SearchLogType[];
}

export interface ScenarioRedshiftCluster {
  id: string;
  region: string;
  nodeType?: string;
  encrypted?: boolean;
  kmsKeyId?: string;
  publiclyAccessible?: boolean;
  enhancedVpcRouting?: boolean;
  snapshotRetention?: number;
  allowVersionUpgrade?: boolean;
  /** Default: default.redshift-1.0 (require_ssl false). */
  parameterGroup?: string;
  parameterApplyStatus?: string;
  /** Audit logging; absent: off. */
  logging?: { destination: 's3' | 'cloudwatch'; exports?: string[] };
  tags?: Record<string, string>;
}

export interface ScenarioRedshiftParameterGroup {
  name: string;
  region: string;
  requireSsl: boolean;
}

export interface ScenarioWebAnalytics {
  distributions?: ScenarioDistribution[];
  logDeliveries?: ScenarioLogDelivery[];
  searchDomains?: ScenarioSearchDomain[];
  redshiftClusters?: ScenarioRedshiftCluster[];
  redshiftParameterGroups?: ScenarioRedshiftParameterGroup[];
}
