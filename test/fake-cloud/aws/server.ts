import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { Scenario, ScenarioAccount } from './scenario';
import { esc } from './xml';
import { breakAnswer, draw } from './answer-faults';
import { iamHandlers } from './services/iam';
import { stsHandlers } from './services/sts';
import { s3Handlers, s3Operation } from './services/s3';
import { s3controlHandlers } from './services/s3control';
import { cloudtrailHandlers } from './services/cloudtrail';
import { kmsHandlers } from './services/kms';
import { ec2Handlers } from './services/ec2';
import { organizationsHandlers } from './services/organizations';
import { accessAnalyzerHandlers } from './services/accessanalyzer';
import { rdsHandlers } from './services/rds';
import { dynamodbHandlers } from './services/dynamodb';
import { secretsManagerHandlers } from './services/secretsmanager';
import { backupHandlers, backupOperation } from './services/backup';
import { efsHandlers, efsOperation } from './services/efs';
import { configHandlers } from './services/config';
import { guardDutyHandlers } from './services/guardduty';
import { securityHubHandlers } from './services/securityhub';
import { macieHandlers } from './services/macie';
import { logsHandlers } from './services/logs';
import { cloudwatchHandlers } from './services/cloudwatch';
import { snsHandlers } from './services/sns';
import { sqsHandlers } from './services/sqs';
import { ecrHandlers } from './services/ecr';
import { elbv2Handlers } from './services/elbv2';
import { lambdaHandlers } from './services/lambda';
import { cloudfrontHandlers, cloudfrontOperation } from './services/cloudfront';
import { opensearchHandlers } from './services/opensearch';
import { redshiftHandlers } from './services/redshift';

/**
 * A loopback fake AWS speaking the real wire protocols (Query/XML for IAM and STS, EC2 Query,
 * REST/XML for S3 and S3 Control, JSON 1.1 for CloudTrail, KMS and Organizations, REST-JSON for
 * IAM Access Analyzer), so collectors are tested through the real SDK clients: signing,
 * serialization, pagination, error parsing and retries all run for real. Which account a request
 * is for comes from its access key (the scenario's callers, or a session issued by
 * sts:AssumeRole); its region from the signature's credential scope, and for REST-JSON services
 * the service from its signing name. Signatures are not verified.
 */

export type Protocol = 'query' | 'ec2' | 'json' | 'rest-xml' | 'rest-json';

/** An error the fake answers with, formatted per protocol. */
export class FakeError extends Error {
  constructor(readonly code: string, readonly status: number, message = code, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Faults answered as a service error of the operation's protocol. */
export const ERROR_FAULTS = ['denied', 'throttled', 'server', 'opt-in', 'not-implemented', 'custom'] as const;
/**
 * Faults that break the answer itself, as proxies, captive portals and half-done emulators do:
 * - `empty`: the status (default 200) with an empty body;
 * - `html`: the status (default 200) with a well-formed HTML page (an XML parser reads it);
 * - `hollow`: 200 with the operation's document root and nothing in it (XML), or `{}` (JSON);
 *   only applied to an answer that succeeded;
 * - `truncated`: the answer cut short (at a seeded point), its status kept;
 * - `drop-list`: every list element of the answer's top level removed (or only `element`);
 *   only applied when there was one to remove;
 * - `hang`: no answer at all, until the client gives up;
 * - `reset`: the connection closed without an answer.
 */
export const ANSWER_FAULTS = ['empty', 'html', 'hollow', 'truncated', 'drop-list', 'hang', 'reset'] as const;
export type FaultKind = (typeof ERROR_FAULTS)[number] | (typeof ANSWER_FAULTS)[number];

export interface FaultRule {
  /** `service:Operation`, or `service:*`, or `*` for every operation. */
  op: string;
  account?: string;
  region?: string;
  /** Bucket name, trail ARN, key id… (what the operation is about). */
  resource?: string;
  /** What kind of failure; the code and status default per protocol. */
  kind: FaultKind;
  code?: string;
  status?: number;
  message?: string;
  /** `drop-list`: the element (XML) or key (JSON) to remove, at any depth; default every top-level list. */
  element?: string;
  /** Out of 1: the share of matching calls that fail (seeded by `seed`); default all. */
  rate?: number;
  /** Seed of `rate` and of the `truncated` cut. */
  seed?: number;
  /** Only the first N matching calls fail (default: all). */
  times?: number;
  /** The first N matching calls succeed, the fault applies after them (an error on page N+1). */
  after?: number;
}

export interface FakeAwsOptions {
  scenario: Scenario;
  /**
   * Buckets that take PutObject, multipart uploads, GetObject and ListObjectsV2 (the user's own
   * output bucket, for sharded scans' parts and results): the scanned accounts' buckets stay read-only.
   */
  outputBuckets?: string[];
  /** Largest page any paginated operation returns (the smaller of this and the client's request). */
  pageSize?: number;
  /** Page size per operation (`iam:GetAccountAuthorizationDetails`), overriding `pageSize`. */
  pageSizes?: Record<string, number>;
  /** Delay before every answer: a fixed number of ms, or a [min, max] range. */
  latencyMs?: number | [number, number];
  faults?: FaultRule[];
  /** How many GenerateCredentialReport calls answer STARTED before the report is COMPLETE (default 1). */
  credentialReportPolls?: number;
  /**
   * Edits the body of successful answers per `service:Operation`, to play an AWS-compatible
   * endpoint that leaves fields out or sends something unexpected.
   */
  rewrite?: Record<string, (body: string) => string>;
}

export interface CallRecord {
  service: string;
  operation: string;
  account: string | null;
  region: string;
  resource?: string;
  /** The SDK's `amz-sdk-request` header: `attempt=N; max=M`. */
  attempt?: string;
  method: string;
  status: number;
  /** The SDK's `amz-sdk-invocation-id` header: the same for every attempt of one call. */
  invocation?: string;
  /** The fault that shaped this answer, when one did. */
  fault?: FaultKind;
}

export interface Ctx {
  fake: FakeAws;
  service: string;
  operation: string;
  accountId: string;
  account: ScenarioAccount;
  region: string;
  method: string;
  path: string;
  query: URLSearchParams;
  /** Form parameters (query protocols). */
  params: URLSearchParams;
  /** JSON body (JSON protocols). */
  json: Record<string, any>;
  headers: IncomingMessage['headers'];
  /** The request body as text. */
  body: string;
  /** The request body as sent (object uploads: a multipart upload's parts may split a character). */
  bytes: Buffer;
  /** Set by a handler so the log and fault rules know what the call was about. */
  resource?: string;
}

export interface Answer {
  status?: number;
  body: string;
  headers?: Record<string, string>;
}

/** A handler returns the inner XML (query/ec2), an object (json, rest-json) or a full answer (rest-xml). */
export type Handler = (ctx: Ctx) => string | object | Answer;

interface ServiceDef {
  protocol: Protocol;
  handlers: Record<string, Handler>;
  xmlns?: string;
}

const SERVICES: Record<string, ServiceDef> = {
  iam: { protocol: 'query', handlers: iamHandlers, xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/' },
  sts: { protocol: 'query', handlers: stsHandlers, xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/' },
  ec2: { protocol: 'ec2', handlers: ec2Handlers, xmlns: 'http://ec2.amazonaws.com/doc/2016-11-15/' },
  s3: { protocol: 'rest-xml', handlers: s3Handlers },
  s3control: { protocol: 'rest-xml', handlers: s3controlHandlers },
  cloudtrail: { protocol: 'json', handlers: cloudtrailHandlers },
  kms: { protocol: 'json', handlers: kmsHandlers },
  organizations: { protocol: 'json', handlers: organizationsHandlers },
  'access-analyzer': { protocol: 'rest-json', handlers: accessAnalyzerHandlers },
  rds: { protocol: 'query', handlers: rdsHandlers, xmlns: 'http://rds.amazonaws.com/doc/2014-10-31/' },
  dynamodb: { protocol: 'json', handlers: dynamodbHandlers },
  secretsmanager: { protocol: 'json', handlers: secretsManagerHandlers },
  backup: { protocol: 'rest-json', handlers: backupHandlers },
  efs: { protocol: 'rest-json', handlers: efsHandlers },
  config: { protocol: 'json', handlers: configHandlers },
  guardduty: { protocol: 'rest-json', handlers: guardDutyHandlers },
  securityhub: { protocol: 'rest-json', handlers: securityHubHandlers },
  macie2: { protocol: 'rest-json', handlers: macieHandlers },
  logs: { protocol: 'json', handlers: logsHandlers },
  cloudwatch: { protocol: 'json', handlers: cloudwatchHandlers },
  sns: { protocol: 'query', handlers: snsHandlers, xmlns: 'http://sns.amazonaws.com/doc/2010-03-31/' },
  sqs: { protocol: 'json', handlers: sqsHandlers },
  ecr: { protocol: 'json', handlers: ecrHandlers },
  elasticloadbalancing: { protocol: 'query', handlers: elbv2Handlers, xmlns: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/' },
  lambda: { protocol: 'rest-json', handlers: lambdaHandlers },
  cloudfront: { protocol: 'rest-xml', handlers: cloudfrontHandlers },
  es: { protocol: 'rest-json', handlers: opensearchHandlers },
  redshift: { protocol: 'query', handlers: redshiftHandlers, xmlns: 'http://redshift.amazonaws.com/doc/2012-12-01/' },
};

/** REST-JSON services whose operations are told apart by their whole path, keyed by signing name (and the service the coverage names). */
const REST_JSON_PATHS: Record<string, { service: string; route: (method: string, path: string) => string | undefined }> = {
  backup: { service: 'backup', route: backupOperation },
  elasticfilesystem: { service: 'efs', route: efsOperation },
};

/** REST-JSON operations by method and path; `*` stands for one path segment (an id or a name). */
const REST_JSON_ROUTES: Record<string, Record<string, string>> = {
  'access-analyzer': { 'GET /analyzer': 'ListAnalyzers' },
  guardduty: { 'GET /detector': 'ListDetectors', 'GET /detector/*': 'GetDetector' },
  securityhub: { 'GET /accounts': 'DescribeHub', 'POST /standards/get': 'GetEnabledStandards' },
  macie2: { 'GET /macie': 'GetMacieSession' },
  lambda: {
    'GET /2015-03-31/functions': 'ListFunctions',
    'GET /2015-03-31/functions/*/policy': 'GetPolicy',
    'GET /2021-10-31/functions/*/urls': 'ListFunctionUrlConfigs',
  },
  es: { 'GET /2021-01-01/domain': 'ListDomainNames', 'POST /2021-01-01/opensearch/domain-info': 'DescribeDomains' },
};

/** The REST-JSON operation a method and path name, or undefined. */
function restJsonOperation(service: string, method: string, path: string): string | undefined {
  const segs = path.replace(/\/+$/, '').split('/').slice(1);
  for (const [route, op] of Object.entries(REST_JSON_ROUTES[service] ?? {})) {
    const [m, p] = route.split(' ');
    const want = p.split('/').slice(1);
    if (m === method && want.length === segs.length && want.every((w, i) => w === '*' || w === segs[i])) return op;
  }
  return undefined;
}

const QUERY_VERSIONS: Record<string, string> = { '2010-05-08': 'iam', '2011-06-15': 'sts', '2016-11-15': 'ec2', '2014-10-31': 'rds', '2010-03-31': 'sns', '2015-12-01': 'elasticloadbalancing', '2012-12-01': 'redshift' };
const JSON_TARGETS: Record<string, string> = {
  CloudTrail_20131101: 'cloudtrail',
  TrentService: 'kms',
  AWSOrganizationsV20161128: 'organizations',
  DynamoDB_20120810: 'dynamodb',
  secretsmanager: 'secretsmanager',
  StarlingDoveService: 'config',
  Logs_20140328: 'logs',
  GraniteServiceVersion20100801: 'cloudwatch',
  AmazonSQS: 'sqs',
  AmazonEC2ContainerRegistry_V20150921: 'ecr',
};

const DEFAULT_FAULT: Record<(typeof ERROR_FAULTS)[number], Record<Protocol, [string, number]>> = {
  denied: { query: ['AccessDenied', 403], ec2: ['UnauthorizedOperation', 403], json: ['AccessDeniedException', 400], 'rest-xml': ['AccessDenied', 403], 'rest-json': ['AccessDeniedException', 403] },
  throttled: { query: ['Throttling', 400], ec2: ['RequestLimitExceeded', 503], json: ['ThrottlingException', 400], 'rest-xml': ['SlowDown', 503], 'rest-json': ['ThrottlingException', 429] },
  server: { query: ['ServiceUnavailable', 503], ec2: ['InternalError', 500], json: ['InternalFailure', 500], 'rest-xml': ['InternalError', 500], 'rest-json': ['InternalServerException', 500] },
  'opt-in': { query: ['OptInRequired', 403], ec2: ['OptInRequired', 401], json: ['OptInRequired', 400], 'rest-xml': ['OptInRequired', 403], 'rest-json': ['OptInRequired', 403] },
  'not-implemented': { query: ['NotImplemented', 501], ec2: ['NotImplemented', 501], json: ['NotImplementedException', 501], 'rest-xml': ['NotImplemented', 501], 'rest-json': ['NotImplementedException', 501] },
  custom: { query: ['Custom', 400], ec2: ['Custom', 400], json: ['Custom', 400], 'rest-xml': ['Custom', 400], 'rest-json': ['Custom', 400] },
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Access key id, region and signing service from a SigV4 Authorization header. */
function parseAuth(header: string | undefined): { accessKeyId: string; region: string; service: string } | null {
  const m = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header ?? '');
  return m ? { accessKeyId: m[1], region: m[2], service: m[3] } : null;
}

export class FakeAws {
  readonly calls: CallRecord[] = [];
  /** Objects of the output buckets: bucket → key → body. */
  readonly objects = new Map<string, Map<string, string>>();
  /** Multipart uploads begun and neither completed nor aborted: upload id → its object and parts so far. */
  readonly uploads = new Map<string, { bucket: string; key: string; parts: Map<number, Buffer> }>();
  url = '';
  private server: Server | null = null;
  /** access key id → account id (callers and issued sessions). */
  private readonly keys = new Map<string, string>();
  private readonly faultHits = new Map<FaultRule, number>();
  /** Per account: GenerateCredentialReport calls so far. */
  readonly reportCalls = new Map<string, number>();
  /** Session credentials issued by sts:AssumeRole (tests check that none leaks). */
  readonly sessions: { accessKeyId: string; secretAccessKey: string; sessionToken: string }[] = [];

  constructor(public options: FakeAwsOptions) {
    for (const c of options.scenario.callers) this.keys.set(c.accessKeyId, c.account);
  }

  get scenario(): Scenario {
    return this.options.scenario;
  }

  account(id: string): ScenarioAccount | undefined {
    return this.scenario.accounts.find((a) => a.id === id);
  }

  /** Issues session credentials for `accountId` (sts:AssumeRole). */
  issueSession(accountId: string): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
    const accessKeyId = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
    this.keys.set(accessKeyId, accountId);
    const session = { accessKeyId, secretAccessKey: randomBytes(20).toString('base64'), sessionToken: randomBytes(32).toString('base64') };
    this.sessions.push(session);
    return session;
  }

  /** Effective page size for `service:Operation`, given what the client asked for. */
  pageSize(op: string, requested: number | undefined, serviceMax = 1000): number {
    const configured = this.options.pageSizes?.[op] ?? this.options.pageSize;
    return Math.max(1, Math.min(requested && requested > 0 ? requested : serviceMax, configured ?? serviceMax));
  }

  /** Calls per `service:Operation`. */
  countByOperation(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.calls) out[`${c.service}:${c.operation}`] = (out[`${c.service}:${c.operation}`] ?? 0) + 1;
    return out;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        res.statusCode = 500;
        res.end(String(err?.stack ?? err));
      });
    });
    // Longer than any pause of a scan on a loaded machine: a keep-alive socket the server closes
    // just as the SDK reuses it is reset, retried, and counted as one more call than the minimum.
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  private async delay(): Promise<void> {
    const l = this.options.latencyMs;
    if (!l) return;
    const ms = typeof l === 'number' ? l : l[0] + Math.random() * (l[1] - l[0]);
    await new Promise((r) => setTimeout(r, ms));
  }

  private matchFault(ctx: Ctx, attempt: string | undefined): FaultRule | undefined {
    for (const f of this.options.faults ?? []) {
      if (f.op !== '*') {
        const [svc, op] = f.op.split(':');
        if (svc !== ctx.service || (op !== '*' && op !== ctx.operation)) continue;
      }
      if (f.account !== undefined && f.account !== ctx.accountId) continue;
      if (f.region !== undefined && f.region !== ctx.region) continue;
      if (f.resource !== undefined && f.resource !== ctx.resource) continue;
      // A seeded draw per call attempt (not per arrival order, which concurrency shuffles).
      if (f.rate !== undefined && draw(f.seed ?? 0, ctx, attempt, 'rate') >= f.rate) continue;
      const hits = this.faultHits.get(f) ?? 0;
      this.faultHits.set(f, hits + 1);
      const failed = hits - (f.after ?? 0);
      if (failed < 0) continue;
      if (f.times !== undefined && failed >= f.times) continue;
      return f;
    }
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await readBody(req);
    const body = bytes.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://fake');
    const auth = parseAuth(req.headers.authorization);
    const method = req.method ?? 'GET';

    // Which service and operation.
    let service: string;
    let operation: string;
    let params = new URLSearchParams();
    let json: Record<string, any> = {};
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const [prefix, op] = target.split('.');
      service = JSON_TARGETS[prefix] ?? `unknown(${prefix})`;
      operation = op;
      json = body ? JSON.parse(body) : {};
    } else if (method === 'POST' && String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      params = new URLSearchParams(body);
      service = QUERY_VERSIONS[params.get('Version') ?? ''] ?? `unknown(${params.get('Version')})`;
      operation = params.get('Action') ?? '';
    } else if (auth && REST_JSON_ROUTES[auth.service]) {
      // REST-JSON services are told apart by the signing name in the credential scope.
      service = auth.service;
      operation = restJsonOperation(service, method, url.pathname) ?? `${method} ${url.pathname}`;
    } else if (auth && REST_JSON_PATHS[auth.service]) {
      const r = REST_JSON_PATHS[auth.service];
      service = r.service;
      operation = r.route(method, url.pathname) ?? `${method} ${url.pathname}`;
    } else if (auth?.service === 'cloudfront') {
      service = 'cloudfront';
      operation = cloudfrontOperation(method, url.pathname) ?? `${method} ${url.pathname}`;
    } else if (url.pathname.startsWith('/v20180820/')) {
      service = 's3control';
      operation = method === 'GET' && url.pathname === '/v20180820/configuration/publicAccessBlock' ? 'GetPublicAccessBlock' : `${method} ${url.pathname}`;
    } else {
      service = 's3';
      operation = s3Operation(method, url);
    }
    const def = SERVICES[service];
    const protocol: Protocol = def?.protocol ?? 'rest-xml';
    const region = auth?.region ?? 'us-east-1';
    const accountId = auth ? this.keys.get(auth.accessKeyId) ?? null : null;
    const record: CallRecord = {
      service,
      operation,
      account: accountId,
      region,
      method,
      status: 200,
      ...(typeof req.headers['amz-sdk-request'] === 'string' ? { attempt: req.headers['amz-sdk-request'] } : {}),
      ...(typeof req.headers['amz-sdk-invocation-id'] === 'string' ? { invocation: req.headers['amz-sdk-invocation-id'] } : {}),
    };
    this.calls.push(record);
    await this.delay();

    let answer: Answer;
    let fault: FaultRule | undefined;
    let ctx: Ctx | undefined;
    try {
      if (!def) throw new FakeError('UnknownService', 400, `the fake does not implement ${service}`);
      if (!accountId) throw new FakeError(protocol === 'rest-xml' ? 'InvalidAccessKeyId' : 'InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
      const account = this.account(accountId);
      if (!account) throw new FakeError('InvalidClientTokenId', 403, `no account ${accountId} in the scenario`);
      ctx = { fake: this, service, operation, accountId, account, region, method, path: url.pathname, query: url.searchParams, params, json, headers: req.headers, body, bytes };
      // What the call is about, so faults can target one bucket, trail or key; authorization
      // (the injected faults) comes before "not found", as in AWS.
      ctx.resource =
        service === 's3' ? url.pathname.split('/')[1] || undefined
        : service === 'sts' ? params.get('RoleArn') ?? undefined
        : service === 'rds' ? params.get('DBSnapshotIdentifier') ?? params.get('DBClusterSnapshotIdentifier') ?? undefined
        : service === 'backup' || service === 'efs' ? decodeURIComponent(url.pathname.split('/')[url.pathname.startsWith('/backup-vaults/') ? 2 : 3] ?? '') || undefined
        : service === 'cloudfront' && operation === 'GetDistributionConfig' ? `arn:aws:cloudfront::${accountId}:distribution/${decodeURIComponent(url.pathname.split('/')[3] ?? '')}`
        : service === 'es' && operation === 'DescribeDomains' ? ((JSON.parse(body || '{}') as { DomainNames?: string[] }).DomainNames ?? []).join(',')
        : service === 'redshift' && params.get('ClusterIdentifier') ? `arn:aws:redshift:${region}:${accountId}:cluster:${params.get('ClusterIdentifier')}`
        : service === 'redshift' && params.get('ParameterGroupName') ? `arn:aws:redshift:${region}:${accountId}:parametergroup:${params.get('ParameterGroupName')}`
        : (json.KeyId ?? json.Name ?? json.TrailName ?? json.TableName ?? json.SecretId ?? undefined);
      record.resource = ctx.resource;
      fault = this.matchFault(ctx, record.attempt);
      if (fault && (ERROR_FAULTS as readonly string[]).includes(fault.kind)) {
        const [code, status] = DEFAULT_FAULT[fault.kind as (typeof ERROR_FAULTS)[number]][protocol];
        record.fault = fault.kind;
        throw new FakeError(fault.code ?? code, fault.status ?? status, fault.message ?? `${fault.kind} (injected by the fake)`);
      }
      if (fault?.kind === 'hang') {
        // Never answered: the socket stays open until the client gives up or the fake closes.
        record.fault = 'hang';
        record.status = 0;
        return;
      }
      if (fault?.kind === 'reset') {
        record.fault = 'reset';
        record.status = 0;
        req.socket.destroy();
        return;
      }
      const handler = def.handlers[operation];
      if (!handler) throw new FakeError(protocol === 'json' || protocol === 'rest-json' ? 'UnknownOperationException' : 'InvalidAction', 400, `the fake does not implement ${service}:${operation}`);
      const globalService = service === 'iam' || service === 'sts' || service === 'organizations' || service === 'cloudfront' || (service === 's3' && operation === 'ListBuckets');
      const r = account.regions.find((x) => x.name === region);
      if (!globalService && (!r || r.optInStatus === 'not-opted-in')) {
        throw new FakeError(service === 'ec2' ? 'OptInRequired' : protocol === 'json' || protocol === 'rest-json' ? 'UnrecognizedClientException' : 'InvalidClientTokenId', service === 'ec2' ? 401 : 403, `region ${region} is not enabled for account ${accountId}`);
      }
      answer = this.format(def, operation, handler(ctx));
      const rewrite = this.options.rewrite?.[`${service}:${operation}`];
      if (rewrite) answer = { ...answer, body: rewrite(answer.body) };
    } catch (err) {
      if (!(err instanceof FakeError)) throw err;
      answer = this.formatError(protocol, err);
    }
    if (fault && ctx && (ANSWER_FAULTS as readonly string[]).includes(fault.kind)) {
      const broken = breakAnswer(fault, protocol, operation, answer, def?.xmlns ?? '', draw(fault.seed ?? 0, ctx, record.attempt, 'cut'));
      if (broken) {
        answer = broken;
        record.fault = fault.kind;
      }
    }
    record.status = answer.status ?? 200;
    res.statusCode = record.status;
    for (const [k, v] of Object.entries(answer.headers ?? {})) res.setHeader(k, v);
    res.setHeader('x-amzn-requestid', 'fake-request');
    res.end(answer.body);
  }

  private format(def: ServiceDef, operation: string, result: string | object | Answer): Answer {
    const requestId = '<RequestId>fake-request</RequestId>';
    switch (def.protocol) {
      case 'query':
        return {
          headers: { 'content-type': 'text/xml' },
          body: `<${operation}Response xmlns="${def.xmlns}"><${operation}Result>${result as string}</${operation}Result><ResponseMetadata>${requestId}</ResponseMetadata></${operation}Response>`,
        };
      case 'ec2':
        return {
          headers: { 'content-type': 'text/xml;charset=UTF-8' },
          body: `<${operation}Response xmlns="${def.xmlns}"><requestId>fake-request</requestId>${result as string}</${operation}Response>`,
        };
      case 'json':
        return { headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(result) };
      case 'rest-json':
        return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
      case 'rest-xml':
        return result as Answer;
    }
  }

  private formatError(protocol: Protocol, err: FakeError): Answer {
    const msg = esc(err.message);
    const code = esc(err.code);
    switch (protocol) {
      case 'query':
        return {
          status: err.status,
          headers: { 'content-type': 'text/xml', ...err.headers },
          body: `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${msg}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`,
        };
      case 'ec2':
        return {
          status: err.status,
          headers: { 'content-type': 'text/xml;charset=UTF-8', ...err.headers },
          body: `<Response><Errors><Error><Code>${code}</Code><Message>${msg}</Message></Error></Errors><RequestID>fake-request</RequestID></Response>`,
        };
      case 'json':
        return {
          status: err.status,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': err.code, ...err.headers },
          body: JSON.stringify({ __type: err.code, message: err.message }),
        };
      case 'rest-json':
        // The error type travels in a header; the body carries only the message.
        return {
          status: err.status,
          headers: { 'content-type': 'application/json', 'x-amzn-errortype': `${err.code}:http://internal.amazon.com/coral/com.amazon.accessanalyzer/`, ...err.headers },
          body: JSON.stringify({ message: err.message }),
        };
      case 'rest-xml':
        return {
          status: err.status,
          headers: { 'content-type': 'application/xml', ...err.headers },
          body: `<Error><Code>${code}</Code><Message>${msg}</Message><RequestId>fake-request</RequestId></Error>`,
        };
    }
  }
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  return new FakeAws(options).start();
}

/** Opaque pagination: a page of `items` from `token`, and the next token when more remain. */
export function page<T>(items: readonly T[], token: string | null | undefined, size: number): { items: T[]; next: string | undefined } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8').replace(/^offset:/, '')) : 0;
  if (!Number.isInteger(start) || start < 0) throw new FakeError('InvalidParameterValue', 400, `bad pagination token ${token}`);
  const end = start + size;
  return { items: items.slice(start, end), next: end < items.length ? Buffer.from(`offset:${end}`).toString('base64') : undefined };
}
