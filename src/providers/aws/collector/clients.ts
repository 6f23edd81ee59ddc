import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import { BackupClient } from '@aws-sdk/client-backup';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EFSClient } from '@aws-sdk/client-efs';
import { RDSClient } from '@aws-sdk/client-rds';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ControlClient } from '@aws-sdk/client-s3-control';
import { STSClient } from '@aws-sdk/client-sts';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { Macie2Client } from '@aws-sdk/client-macie2';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { OpenSearchClient } from '@aws-sdk/client-opensearch';
import { RedshiftClient } from '@aws-sdk/client-redshift';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, Pluggable } from '@smithy/types';
import type { Logger } from 'pino';
import { DEFAULT_CALL_TIMEOUT_S, DEFAULT_CONNECT_TIMEOUT_S } from '../collector-options';
import { AWS_ANSWERS } from './answer-shapes';
import { answerCheckPlugin, sdkLogger, TransientRetryStrategy } from './sdk-guard';

/** How the SDK retries: attempts per call, and full-jitter exponential backoff between them. */
export interface RetrySettings {
  /** Requests per call, the first included. */
  maxAttempts: number;
  /** Backoff before retry n is random × min(maxDelayMs, baseDelayMs × 2^(n-1)). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Tuned for throttling: the SDK's default (3 attempts, then give up) turns a busy account's rate
 * limit into gaps; 8 attempts with backoff up to 20 s ride out a throttling burst (about 30 s of
 * waiting in the worst case) while the per-account limiter keeps the pressure bounded.
 * A `Retry-After` hint from the service is honoured by the SDK on top of this.
 */
export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 20_000 };

/** How long a call may take before it is a gap. */
export interface TimeoutSettings {
  /** Setting up one TCP connection (the TLS handshake counts against callMs). */
  connectMs: number;
  /** One call, every attempt and backoff wait included. */
  callMs: number;
}

/** The defaults of --connect-timeout and --call-timeout. */
export const DEFAULT_TIMEOUTS: TimeoutSettings = { connectMs: DEFAULT_CONNECT_TIMEOUT_S * 1000, callMs: DEFAULT_CALL_TIMEOUT_S * 1000 };

export interface ClientSettings {
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** `--endpoint-url`: every service at one AWS-compatible endpoint. */
  endpointUrl?: string;
  env: NodeJS.ProcessEnv;
  retry: RetrySettings;
  timeouts: TimeoutSettings;
  /** Where the SDK's warnings go. */
  log: Logger;
}

/** The SDK's service ids, as in `AWS_ENDPOINT_URL_<ID>`. */
const ENDPOINT_ENV: Record<ServiceName, string> = {
  iam: 'IAM',
  sts: 'STS',
  organizations: 'ORGANIZATIONS',
  s3: 'S3',
  s3control: 'S3_CONTROL',
  cloudtrail: 'CLOUDTRAIL',
  kms: 'KMS',
  ec2: 'EC2',
  accessanalyzer: 'ACCESSANALYZER',
  rds: 'RDS',
  dynamodb: 'DYNAMODB',
  backup: 'BACKUP',
  secretsmanager: 'SECRETS_MANAGER',
  efs: 'EFS',
  config: 'CONFIG_SERVICE',
  guardduty: 'GUARDDUTY',
  securityhub: 'SECURITYHUB',
  macie2: 'MACIE2',
  logs: 'CLOUDWATCH_LOGS',
  cloudwatch: 'CLOUDWATCH',
  sns: 'SNS',
  sqs: 'SQS',
  ecr: 'ECR',
  elasticloadbalancing: 'ELASTIC_LOAD_BALANCING_V2',
  lambda: 'LAMBDA',
  cloudfront: 'CLOUDFRONT',
  es: 'OPENSEARCH',
  redshift: 'REDSHIFT',
};

/** Service names as the coverage (and the answer table) spell them, where they differ. */
const COVERAGE_NAME: Partial<Record<ServiceName, string>> = { accessanalyzer: 'access-analyzer' };

/** Data stores, backups and secrets (issue 17). */
type DataServiceName = 'rds' | 'dynamodb' | 'backup' | 'secretsmanager' | 'efs';
export type ServiceName =
  | DataServiceName
  | 'iam'
  | 'sts'
  | 'organizations'
  | 's3'
  | 's3control'
  | 'cloudtrail'
  | 'kms'
  | 'ec2'
  | 'accessanalyzer'
  | 'config'
  | 'guardduty'
  | 'securityhub'
  | 'macie2'
  | 'logs'
  | 'cloudwatch'
  | 'sns'
  | 'sqs'
  | 'ecr'
  | 'elasticloadbalancing'
  | 'lambda'
  | WebAnalyticsServiceName;

/** CloudFront, OpenSearch Service (endpoint prefix `es`) and Redshift (issue 17). */
type WebAnalyticsServiceName = 'cloudfront' | 'es' | 'redshift';

/**
 * The custom endpoint for a service, if any: `--endpoint-url`, else `AWS_ENDPOINT_URL_<SERVICE>`,
 * else `AWS_ENDPOINT_URL` (the variables the SDK honours, resolved here so that S3 path-style
 * addressing and the S3 Control host prefix can be adjusted for such an endpoint).
 */
export function customEndpoint(service: ServiceName, settings: Pick<ClientSettings, 'endpointUrl' | 'env'>): string | undefined {
  if (settings.endpointUrl) return settings.endpointUrl;
  const env = settings.env;
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return undefined;
  return env[`AWS_ENDPOINT_URL_${ENDPOINT_ENV[service]}`] || env.AWS_ENDPOINT_URL || undefined;
}

type AnyClient = { destroy(): void };

/**
 * SDK clients of one account, one per service and region, created on first use and shared by
 * every call there. All get the same credentials, retry strategy and endpoint rules.
 */
export class AwsClients {
  private readonly cache = new Map<string, AnyClient>();

  constructor(private readonly settings: ClientSettings) {}

  private common(service: ServiceName, region: string): Record<string, unknown> {
    const { retry, timeouts } = this.settings;
    const endpoint = customEndpoint(service, this.settings);
    const logger = sdkLogger(this.settings.log);
    return {
      region,
      credentials: this.settings.credentials,
      maxAttempts: retry.maxAttempts,
      retryStrategy: new TransientRetryStrategy(retry.maxAttempts, (attempt: number) =>
        Math.floor(Math.random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attempt - 1))),
      ),
      // The call layer aborts a call at its deadline; the request timeout is the backstop for an
      // attempt made without it (it fails the attempt instead of only warning, the SDK's default).
      requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.callMs, throwOnRequestTimeout: true, logger },
      logger,
      ...(endpoint ? { endpoint } : {}),
    };
  }

  private get<T extends AnyClient>(service: ServiceName, region: string, make: (config: Record<string, unknown>, custom: boolean) => T): T {
    const key = `${service}\u0000${region}`;
    let c = this.cache.get(key) as T | undefined;
    if (!c) {
      c = make(this.common(service, region), customEndpoint(service, this.settings) !== undefined);
      (c as unknown as { middlewareStack: { use(p: Pluggable<object, object>): void } }).middlewareStack.use(answerCheckPlugin(COVERAGE_NAME[service] ?? service, AWS_ANSWERS));
      this.cache.set(key, c);
    }
    return c;
  }

  /** Where calls to `service` go: the custom endpoint, or AWS's (for messages). */
  endpointOf(service: ServiceName, region: string): string {
    if (service === 'cloudfront') return customEndpoint(service, this.settings) ?? 'https://cloudfront.amazonaws.com';
    return customEndpoint(service, this.settings) ?? `https://${service === 'accessanalyzer' ? 'access-analyzer' : service === 'efs' ? 'elasticfilesystem' : service}.${region}.amazonaws.com`;
  }

  iam(region: string): IAMClient {
    return this.get('iam', region, (c) => new IAMClient(c));
  }
  sts(region: string): STSClient {
    return this.get('sts', region, (c) => new STSClient(c));
  }
  organizations(region: string): OrganizationsClient {
    return this.get('organizations', region, (c) => new OrganizationsClient(c));
  }
  /** Path-style on a custom endpoint (virtual-host names do not resolve there). Bucket calls are made in the bucket's region. */
  s3(region: string): S3Client {
    return this.get('s3', region, (c, custom) => new S3Client({ ...c, forcePathStyle: custom, followRegionRedirects: false }));
  }
  /**
   * On a custom endpoint, no `<account>.` host prefix (`123456789012.127.0.0.1` does not resolve):
   * S3 Control's endpoint rules add it to the host, so the endpoint is given as-is by our own
   * endpoint provider; the account still travels in the x-amz-account-id header.
   */
  s3control(region: string): S3ControlClient {
    const endpoint = customEndpoint('s3control', this.settings);
    return this.get('s3control', region, (c) =>
      endpoint
        ? new S3ControlClient({ ...c, disableHostPrefix: true, endpointProvider: () => ({ url: new URL(endpoint) }) })
        : new S3ControlClient(c),
    );
  }
  cloudtrail(region: string): CloudTrailClient {
    return this.get('cloudtrail', region, (c) => new CloudTrailClient(c));
  }
  kms(region: string): KMSClient {
    return this.get('kms', region, (c) => new KMSClient(c));
  }
  ec2(region: string): EC2Client {
    return this.get('ec2', region, (c) => new EC2Client(c));
  }
  accessAnalyzer(region: string): AccessAnalyzerClient {
    return this.get('accessanalyzer', region, (c) => new AccessAnalyzerClient(c));
  }
  rds(region: string): RDSClient {
    return this.get('rds', region, (c) => new RDSClient(c));
  }
  dynamodb(region: string): DynamoDBClient {
    return this.get('dynamodb', region, (c) => new DynamoDBClient(c));
  }
  backup(region: string): BackupClient {
    return this.get('backup', region, (c) => new BackupClient(c));
  }
  secretsManager(region: string): SecretsManagerClient {
    return this.get('secretsmanager', region, (c) => new SecretsManagerClient(c));
  }
  efs(region: string): EFSClient {
    return this.get('efs', region, (c) => new EFSClient(c));
  }

  config(region: string): ConfigServiceClient {
    return this.get('config', region, (c) => new ConfigServiceClient(c));
  }
  guardduty(region: string): GuardDutyClient {
    return this.get('guardduty', region, (c) => new GuardDutyClient(c));
  }
  securityhub(region: string): SecurityHubClient {
    return this.get('securityhub', region, (c) => new SecurityHubClient(c));
  }
  macie(region: string): Macie2Client {
    return this.get('macie2', region, (c) => new Macie2Client(c));
  }
  logs(region: string): CloudWatchLogsClient {
    return this.get('logs', region, (c) => new CloudWatchLogsClient(c));
  }
  cloudwatch(region: string): CloudWatchClient {
    return this.get('cloudwatch', region, (c) => new CloudWatchClient(c));
  }
  sns(region: string): SNSClient {
    return this.get('sns', region, (c) => new SNSClient(c));
  }
  sqs(region: string): SQSClient {
    return this.get('sqs', region, (c) => new SQSClient(c));
  }
  ecr(region: string): ECRClient {
    return this.get('ecr', region, (c) => new ECRClient(c));
  }

  elbv2(region: string): ElasticLoadBalancingV2Client {
    return this.get('elasticloadbalancing', region, (c) => new ElasticLoadBalancingV2Client(c));
  }
  lambda(region: string): LambdaClient {
    return this.get('lambda', region, (c) => new LambdaClient(c));
  }

  /** CloudFront is global: one client, whatever region it is asked for (the SDK resolves the global endpoint). */
  cloudfront(region: string): CloudFrontClient {
    return this.get('cloudfront', region, (c) => new CloudFrontClient(c));
  }
  opensearch(region: string): OpenSearchClient {
    return this.get('es', region, (c) => new OpenSearchClient(c));
  }
  redshift(region: string): RedshiftClient {
    return this.get('redshift', region, (c) => new RedshiftClient(c));
  }

  destroy(): void {
    for (const c of this.cache.values()) c.destroy();
    this.cache.clear();
  }
}
