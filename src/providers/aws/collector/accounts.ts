import { type Account, ListAccountsCommand, type ListAccountsCommandOutput } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, type AssumeRoleCommandInput, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { UsageError } from '../../../core/errors';
import type { AccountCalls } from './calls';
import type { AwsClients } from './clients';
import { fieldProblem, InvalidAnswerError } from './answer-shape';
import { AWS_ANSWERS } from './answer-shapes';
import { DeadlineError, withDeadline } from './deadline';
import { attemptsOf, classifyError, errorCode, errorMessage, httpStatus, unreachableReason } from './errors';
import { isParseError } from './sdk-guard';

export interface CallerIdentity {
  account: string;
  arn: string;
  partition: string;
  /** HTTP requests the call took. */
  calls: number;
}

/**
 * Who the starting credentials belong to. Nothing can be scanned without it, so every failure is a
 * usage error (exit 2) that says which: no credentials, an endpoint that cannot be reached or does
 * not answer in time, an answer that is not AWS's, AWS failing, or AWS refusing the credentials.
 */
export async function callerIdentity(clients: AwsClients, region: string, timeoutMs: number): Promise<CallerIdentity> {
  const where = clients.endpointOf('sts', region);
  try {
    const out = await withDeadline(timeoutMs, (abortSignal) => clients.sts(region).send(new GetCallerIdentityCommand({}), { abortSignal }));
    const problem = fieldProblem(AWS_ANSWERS['sts:GetCallerIdentity'], out);
    if (problem) throw new InvalidAnswerError(problem, 200);
    if (!/^\d{12}$/.test(out.Account!)) throw new InvalidAnswerError(`the account id ${JSON.stringify(out.Account!.slice(0, 40))} is not 12 digits`, 200);
    const arn = out.Arn!;
    return { account: out.Account!, arn, partition: arn.split(':')[1] || 'aws', calls: attemptsOf(out) };
  } catch (err) {
    const op = 'sts:GetCallerIdentity';
    if (errorCode(err) === 'CredentialsProviderError') {
      throw new UsageError(
        `no AWS credentials found: set AWS_PROFILE or --profile, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run where a role is available (${(err as Error).message.split('\n')[0]})`,
      );
    }
    const unreachable = unreachableReason(err);
    if (unreachable) throw new UsageError(`cannot reach the AWS endpoint ${where} (${op}): ${unreachable}`);
    if (err instanceof DeadlineError) throw new UsageError(`no answer from the AWS endpoint ${where} (${op}): ${err.message}`);
    const message = errorMessage(err, attemptsOf(err));
    if (err instanceof InvalidAnswerError || isParseError(err)) throw new UsageError(`the endpoint ${where} did not answer ${op} as AWS does: ${message}`);
    const status = httpStatus(err);
    if (status !== undefined && status >= 400 && status < 500 && classifyError(err) !== 'throttled') throw new UsageError(`AWS did not accept the credentials (${op}): ${message}`);
    throw new UsageError(`${op} failed at ${where}: ${message}`);
  }
}

export interface TargetAccount {
  id: string;
  name?: string;
}

/**
 * Every account of the caller's organization (ListAccounts: readable from the management account
 * or a delegated administrator); an empty list when the caller is in no organization; null when
 * it could not be read (the failure is in the coverage).
 */
export async function listOrganization(calls: AccountCalls, clients: AwsClients, region: string): Promise<Account[] | null> {
  const r = await calls.pages(
    { service: 'organizations', operation: 'ListAccounts', region: 'global', absent: ['AWSOrganizationsNotInUseException'] },
    (NextToken, abortSignal) => clients.organizations(region).send(new ListAccountsCommand({ NextToken }), { abortSignal }),
    (p: ListAccountsCommandOutput) => p.NextToken,
  );
  return r.ok ? r.value.flatMap((p) => p.Accounts ?? []) : null;
}

/**
 * The organization's active accounts, for --org. A failure stops the scan: scanning some unknown
 * subset of an organization would look complete and is not.
 */
export async function organizationAccounts(calls: AccountCalls, clients: AwsClients, region: string): Promise<{ accounts: TargetAccount[]; skipped: Account[]; all: Account[] }> {
  const r = await calls.pages(
    { service: 'organizations', operation: 'ListAccounts', region: 'global' },
    (NextToken, abortSignal) => clients.organizations(region).send(new ListAccountsCommand({ NextToken }), { abortSignal }),
    (p: ListAccountsCommandOutput) => p.NextToken,
  );
  if (!r.ok) {
    throw new UsageError(
      `cannot list the organization's accounts (organizations:ListAccounts ${r.outcome}: ${r.message}); run from the management account or a delegated administrator, or name the accounts with --accounts`,
    );
  }
  const all = r.value.flatMap((p) => p.Accounts ?? []);
  return {
    accounts: all.filter((a) => (a.Status ?? 'ACTIVE') === 'ACTIVE').map((a) => ({ id: a.Id ?? '', ...(a.Name ? { name: a.Name } : {}) })),
    skipped: all.filter((a) => (a.Status ?? 'ACTIVE') !== 'ACTIVE'),
    all,
  };
}

/**
 * Credentials of a role assumed in a target account, renewed before they expire (a long scan can
 * outlast one session). A failure to assume is recorded in the account's coverage with
 * `affects: ['*']`: nothing in that account was read.
 */
export class AssumedRole {
  private current: AwsCredentialIdentity | null = null;
  private pending: Promise<AwsCredentialIdentity> | null = null;

  constructor(
    private readonly calls: AccountCalls,
    private readonly clients: AwsClients,
    private readonly region: string,
    private readonly input: AssumeRoleCommandInput,
  ) {}

  async assume(): Promise<AwsCredentialIdentity | null> {
    const spec = { service: 'sts', operation: 'AssumeRole', region: 'global', affects: ['*'] };
    const r = await this.calls.one(spec, (abortSignal) => this.clients.sts(this.region).send(new AssumeRoleCommand(this.input), { abortSignal }));
    if (!r.ok) return null;
    // The answer table requires the key id and secret: an answer without them is already a gap.
    const c = r.value!.Credentials!;
    this.current = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken, expiration: c.Expiration };
    return this.current;
  }

  readonly provider: AwsCredentialIdentityProvider = async () => {
    const c = this.current;
    if (c && (!c.expiration || c.expiration.getTime() - Date.now() > 5 * 60_000)) return c;
    this.pending ??= this.assume().then((next) => {
      this.pending = null;
      if (!next) throw new Error(`could not renew the session of ${this.input.RoleArn}`);
      return next;
    });
    return this.pending;
  };
}
