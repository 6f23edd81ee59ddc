/**
 * A fake Google Cloud organization: resources as the REST/JSON APIs return them (proto3 JSON for
 * the gax services: RFC 3339 timestamps, durations such as "7776000s", enums as names), so the
 * fake serves them as stored and the real clients decode them.
 */

export type Json = Record<string, any>;

export interface ScenarioContainer {
  id: string;
  displayName: string;
  /** For folders: organizations/<id> or folders/<id>. */
  parent?: string;
  state?: string;
  iamPolicy?: Json;
  sinks?: Json[];
}

export interface ScenarioProject {
  projectId: string;
  number: string;
  displayName?: string;
  parent?: string | null;
  state?: string;
  labels?: Record<string, string>;
  iamPolicy?: Json;
  /** Service names enabled in the project (default: every API trustscan reads). */
  enabledApis?: string[];
  serviceAccounts?: (Json & { keys?: Json[] })[];
  buckets?: (Json & { iamPolicy?: Json })[];
  kms?: { locations: string[]; keyRings: (Json & { iamPolicy?: Json; cryptoKeys?: (Json & { iamPolicy?: Json })[] })[] };
  sinks?: Json[];
  logBuckets?: Json[];
  firewalls?: Json[];
  networks?: Json[];
  subnetworks?: Json[];
  sqlInstances?: Json[];
}

export interface GcpScenario {
  description?: string;
  organization?: ScenarioContainer;
  folders?: ScenarioContainer[];
  projects: ScenarioProject[];
}

export const ALL_APIS = [
  'iam.googleapis.com',
  'storage.googleapis.com',
  'cloudkms.googleapis.com',
  'logging.googleapis.com',
  'compute.googleapis.com',
  'sqladmin.googleapis.com',
  'cloudasset.googleapis.com',
  'serviceusage.googleapis.com',
  'cloudresourcemanager.googleapis.com',
];
