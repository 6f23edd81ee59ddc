/**
 * The data stores, backups and secrets of a scenario account (issue 17). Every item names its
 * region; field names follow the snapshot's where one exists. Unset fields take AWS's defaults.
 */

export interface ScenarioDbInstance {
  id: string;
  region: string;
  engine?: string;
  engineVersion?: string;
  instanceClass?: string;
  status?: string;
  clusterId?: string | null;
  replicaSource?: string | null;
  storageEncrypted?: boolean;
  kmsKeyId?: string | null;
  publiclyAccessible?: boolean;
  backupRetentionPeriod?: number;
  deletionProtection?: boolean;
  multiAZ?: boolean;
  /** Storage autoscaling's limit in GiB; absent: autoscaling off (RDS leaves the field out). */
  maxAllocatedStorage?: number;
  autoMinorVersionUpgrade?: boolean;
  iamAuth?: boolean;
  logExports?: string[];
  tags?: Record<string, string>;
}

export interface ScenarioDbCluster {
  id: string;
  region: string;
  engine?: string;
  engineMode?: string;
  storageEncrypted?: boolean;
  kmsKeyId?: string | null;
  /** Multi-AZ DB clusters only; Aurora leaves it out. */
  publiclyAccessible?: boolean;
  backupRetentionPeriod?: number;
  deletionProtection?: boolean;
  multiAZ?: boolean;
  iamAuth?: boolean;
  logExports?: string[];
  members?: string[];
  tags?: Record<string, string>;
}

export interface ScenarioDbSnapshot {
  id: string;
  region: string;
  /** A DB cluster snapshot when true. */
  cluster?: boolean;
  source: string;
  engine?: string;
  encrypted?: boolean;
  createTime?: string;
  /** The restore attribute: account ids, or "all". */
  restore?: string[];
}

export interface ScenarioTable {
  name: string;
  region: string;
  billingMode?: 'PROVISIONED' | 'PAY_PER_REQUEST';
  /** Absent: the AWS-owned key. */
  kmsKeyArn?: string | null;
  deletionProtection?: boolean;
  pitr?: boolean;
  pitrDays?: number;
  tags?: Record<string, string>;
}

export interface ScenarioBackupPlan {
  id: string;
  name: string;
  region: string;
  rules: {
    name: string;
    vault: string;
    schedule?: string | null;
    deleteAfterDays?: number | null;
    coldAfterDays?: number | null;
    copyTo?: { vaultArn: string; deleteAfterDays?: number | null }[];
  }[];
  selections?: {
    name: string;
    resources?: string[];
    notResources?: string[];
    listOfTags?: { key: string; value: string }[];
    conditions?: { operator: 'StringEquals' | 'StringNotEquals' | 'StringLike' | 'StringNotLike'; key: string; value: string }[];
  }[];
}

export interface ScenarioBackupVault {
  name: string;
  region: string;
  kmsKeyArn?: string | null;
  lock?: { minRetentionDays?: number; maxRetentionDays?: number; lockDate?: string | null } | null;
  recoveryPoints?: number;
  policy?: unknown;
}

/**
 * A restore job. Its creation is given in days before the start of the scan's UTC day (the
 * collector lists the jobs of a window ending now), so a scenario keeps its meaning whenever the
 * tests run.
 */
export interface ScenarioRestoreJob {
  type: string;
  status?: 'PENDING' | 'RUNNING' | 'COMPLETED' | 'ABORTED' | 'FAILED';
  createdDaysAgo: number;
  /** Hours from creation to completion (COMPLETED, FAILED and ABORTED jobs); default 1. */
  tookHours?: number;
  /** Name of the restore testing plan that started it; absent: a restore started by hand. */
  testingPlan?: string;
  validation?: 'FAILED' | 'SUCCESSFUL' | 'TIMED_OUT' | 'VALIDATING';
}

export interface ScenarioBackupRegion {
  region: string;
  optIn?: Record<string, boolean>;
  protected?: { arn: string; type: string; lastBackupTime?: string }[];
  restoreJobs?: ScenarioRestoreJob[];
}

export interface ScenarioSecret {
  name: string;
  region: string;
  kmsKeyId?: string | null;
  rotationEnabled?: boolean;
  rotationDays?: number | null;
  lastRotatedDate?: string | null;
  lastAccessedDate?: string | null;
  createdDate?: string;
  owningService?: string | null;
  policy?: unknown;
  tags?: Record<string, string>;
}

export interface ScenarioFileSystem {
  id: string;
  region: string;
  name?: string;
  encrypted?: boolean;
  kmsKeyId?: string | null;
  /** Backup policy status; absent: never set (PolicyNotFound). */
  backupPolicy?: 'ENABLED' | 'DISABLED' | 'ENABLING' | 'DISABLING';
  policy?: unknown;
  tags?: Record<string, string>;
}

export interface ScenarioData {
  dbInstances?: ScenarioDbInstance[];
  dbClusters?: ScenarioDbCluster[];
  dbSnapshots?: ScenarioDbSnapshot[];
  tables?: ScenarioTable[];
  backupPlans?: ScenarioBackupPlan[];
  backupVaults?: ScenarioBackupVault[];
  backupRegions?: ScenarioBackupRegion[];
  secrets?: ScenarioSecret[];
  fileSystems?: ScenarioFileSystem[];
}
