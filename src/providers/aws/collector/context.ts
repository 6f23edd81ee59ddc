import type { Logger } from 'pino';
import type { Resource } from '../../../core/types';
import type { CollectProgress } from '../../../core/provider-plugin';
import type { AnalyzerRegistry } from './accessanalyzer';
import type { AccountCalls } from './calls';
import type { AwsClients } from './clients';
import type { TrailRegistry } from './cloudtrail';
import type { AccountDraft } from './account';

export interface CredentialReportSettings {
  /** Wait between polls while IAM generates the report. */
  pollIntervalMs: number;
  /** Give up (a recorded gap) after this long. */
  timeoutMs: number;
}

/** Everything a service collector needs to read one account. */
export interface AccountContext {
  account: string;
  partition: string;
  /** Region for global services (IAM, STS, S3 ListBuckets, S3 Control). */
  homeRegion: string;
  /** Enabled regions selected for this scan. */
  regions: string[];
  clients: AwsClients;
  calls: AccountCalls;
  log: Logger;
  /** The account's `aws.account` resource, filled by several services. */
  draft: AccountDraft;
  trails: TrailRegistry;
  analyzers: AnalyzerRegistry;
  credentialReport: CredentialReportSettings;
  progress: CollectProgress;
  emit(r: Resource): Promise<void>;
}
