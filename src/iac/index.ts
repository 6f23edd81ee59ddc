import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import { fileError, InputError, type Problem } from '../core/errors';
import { parseJson } from '../core/json-text';
import { INPUT_LIMITS, readInputTextSync } from '../core/input-text';
import type { ResourceTypeRegistry } from '../core/resource-types/registry';
import { SnapshotValidator } from '../core/snapshot-validator';
import { type CoverageEntry, SNAPSHOT_SCHEMA_VERSION, type Resource, type Snapshot } from '../core/types';
import { TOOL_NAME, TOOL_VERSION } from '../core/version';
import { CfnContext } from '../providers/aws/iac/cloudformation/context';
import { mapCloudTrail as cfnTrails } from '../providers/aws/iac/cloudformation/cloudtrail';
import { mapSecurityGroups as cfnGroups } from '../providers/aws/iac/cloudformation/ec2';
import { mapIam as cfnIam } from '../providers/aws/iac/cloudformation/iam';
import { mapKms as cfnKms } from '../providers/aws/iac/cloudformation/kms';
import { mapS3 as cfnS3 } from '../providers/aws/iac/cloudformation/s3';
import { mapEcr as cfnEcr, mapSns as cfnSns, mapSqs as cfnSqs } from '../providers/aws/iac/cloudformation/messaging';
import { mapDetection as cfnDetection } from '../providers/aws/iac/cloudformation/detection';
import { mapCompute as cfnCompute } from '../providers/aws/iac/cloudformation/compute';
import { isTemplate, jsonTemplateLines, parseYamlTemplate } from '../providers/aws/iac/cloudformation/template';
import { prepareTemplate } from '../providers/aws/iac/cloudformation/prepare';
import { UNKNOWN_ACCOUNT, UNKNOWN_REGION, type Draft } from './draft';
import { mapAccount } from '../providers/aws/iac/terraform/account';
import { mapCloudTrail as tfTrails } from '../providers/aws/iac/terraform/cloudtrail';
import { TfContext } from '../providers/aws/iac/terraform/context';
import { mapSecurityGroups as tfGroups } from '../providers/aws/iac/terraform/ec2';
import { mapIam as tfIam } from '../providers/aws/iac/terraform/iam';
import { mapKms as tfKms } from '../providers/aws/iac/terraform/kms';
import { TfPlan, type TfInstance } from '../providers/aws/iac/terraform/plan';
import { type AccountContext, completeFromAccount } from '../providers/aws/iac/account-context';
import { terraformAffects } from '../providers/aws/iac/terraform/coverage';
import { MAX_DEPTH, pointerOf, tooDeep } from './limits';
import { mapS3Buckets as tfS3 } from '../providers/aws/iac/terraform/s3';
import { mapRdsClusters as tfRdsClusters, mapRdsInstances as tfRdsInstances } from '../providers/aws/iac/terraform/rds';
import { mapDynamoDbTables as tfDynamoDb } from '../providers/aws/iac/terraform/dynamodb';
import { mapBackupPlans as tfBackupPlans, mapBackupVaults as tfBackupVaults } from '../providers/aws/iac/terraform/backup';
import { mapSecrets as tfSecrets } from '../providers/aws/iac/terraform/secretsmanager';
import { mapEfs as tfEfs } from '../providers/aws/iac/terraform/efs';
import { mapRdsClusters as cfnRdsClusters, mapRdsInstances as cfnRdsInstances } from '../providers/aws/iac/cloudformation/rds';
import { mapDynamoDbTables as cfnDynamoDb } from '../providers/aws/iac/cloudformation/dynamodb';
import { mapBackupPlans as cfnBackupPlans, mapBackupVaults as cfnBackupVaults } from '../providers/aws/iac/cloudformation/backup';
import { mapSecrets as cfnSecrets } from '../providers/aws/iac/cloudformation/secretsmanager';
import { mapEfs as cfnEfs } from '../providers/aws/iac/cloudformation/efs';
import { mapSns as tfSns, mapSqs as tfSqs } from '../providers/aws/iac/terraform/messaging';
import { mapEcr as tfEcr } from '../providers/aws/iac/terraform/ecr';
import { mapDetection as tfDetection } from '../providers/aws/iac/terraform/detection';
import { mapMonitoring as tfMonitoring } from '../providers/aws/iac/terraform/monitoring';
import { mapLambda as tfLambda } from '../providers/aws/iac/terraform/lambda';
import { mapElbv2 as tfElbv2 } from '../providers/aws/iac/terraform/elbv2';
import { mapCloudFront as tfCloudFront, mapOpenSearch as tfOpenSearch, mapRedshift as tfRedshift } from '../providers/aws/iac/terraform/web-analytics';
import { mapRdsSnapshots as tfRdsSnapshots } from '../providers/aws/iac/terraform/rds';
import { mapCloudFront as cfnCloudFront, mapOpenSearch as cfnOpenSearch, mapRedshift as cfnRedshift } from '../providers/aws/iac/cloudformation/web-analytics';
import type { PlanView } from '../providers/azure/iac/plan-view';
import { azurermSubscriptions, subscriptionOf } from '../providers/azure/iac/subscription';
import { AZURERM_UNMAPPED, mapAzurermPlan } from '../providers/azure/iac/terraform';
import { configRoots, dirHasConfig, readConfig } from './terraform-config-input';
import { blockAddress, declarationSites } from './terraform-sites';

export interface IacOptions {
  /** Account id the code deploys to, when the code does not say (Terraform: data.aws_caller_identity). */
  account?: string;
  /** Region, when the code does not say (Terraform: provider configuration or the resource's region). */
  region?: string;
  /** Report broken files and go on with the others, instead of stopping at the first. */
  keepGoing?: boolean;
  /** Directory that file names in sources are made relative to. */
  cwd: string;
  /** A runtime snapshot of the account the code deploys to (`--context`). */
  context?: AccountContext;
  /** Account id when neither `account` nor the code says (the one account of `--context`). */
  defaultAccount?: string;
  /** Terraform configuration: variables files (--var-file), NAME=VALUE (--var), and the environment (TF_VAR_*). */
  varFiles?: string[];
  vars?: string[];
  env?: Record<string, string | undefined>;
}

export type IacFormat = 'terraform-plan' | 'terraform-config' | 'cloudformation';

/**
 * Terraform resource types that carry settings the rules check at runtime, but that this reader
 * does not map yet: their resources are reported as not read (a coverage gap on the runtime type),
 * so the rules on that type say UNKNOWN instead of nothing. (CloudFormation's are in its
 * coverage module, with transforms, custom and third-party types.)
 */
const TERRAFORM_UNMAPPED: Record<string, string> = {
  aws_instance: 'aws.ec2.instance',
  aws_vpc: 'aws.ec2.vpc',
  aws_default_vpc: 'aws.ec2.vpc',
  aws_flow_log: 'aws.ec2.vpc',
  aws_network_acl: 'aws.ec2.network-acl',
  aws_default_network_acl: 'aws.ec2.network-acl',
  aws_network_acl_rule: 'aws.ec2.network-acl',
  aws_default_security_group: 'aws.ec2.security-group',
  aws_accessanalyzer_analyzer: 'aws.accessanalyzer.analyzer',
  aws_iam_server_certificate: 'aws.iam.server-certificate',
  aws_kms_replica_key: 'aws.kms.key',
  aws_kms_external_key: 'aws.kms.key',
  aws_kms_replica_external_key: 'aws.kms.key',
  aws_dynamodb_table_replica: 'aws.dynamodb.table',
  aws_backup_region_settings: 'aws.backup.region',
  aws_ecr_registry_scanning_configuration: 'aws.ecr.repository',
  aws_macie2_account: 'aws.macie.session',
  ...AZURERM_UNMAPPED,
};

/** Something in a file that was not read, and what it may change. */
interface Unread {
  what: string;
  address: string;
  account: string;
  region: string;
  /** Runtime types it may make or change; `*` for any. */
  affects: string[];
  why: string;
}

/** The provider of runtime types (`*`, any type, is a template's: AWS). */
function providerOf(types: readonly string[]): string {
  const t = types.find((x) => x !== '*');
  return t ? t.slice(0, t.indexOf('.')) : 'aws';
}

/** Constructs of a file that were not read, grouped by where they deploy and what they are. */
function unreadCoverage(format: Exclude<IacFormat, 'terraform-config'>, file: string, found: Unread[]): CoverageEntry[] {
  const groups = new Map<string, { entry: CoverageEntry; why: string; addresses: string[] }>();
  for (const f of found) {
    const key = `${f.account}\u0000${f.region}\u0000${f.what}\u0000${f.affects.join(',')}\u0000${f.why}`;
    let g = groups.get(key);
    if (!g) {
      const entry: CoverageEntry = {
        // The provider of the runtime types it may affect (`azure.sql.server` → azure).
        provider: providerOf(f.affects),
        account: f.account,
        region: f.region,
        service: format === 'terraform-plan' ? 'terraform' : 'cloudformation',
        operation: f.what,
        outcome: 'not-enabled',
        affects: f.affects,
      };
      groups.set(key, (g = { entry, why: f.why, addresses: [] }));
    }
    g.addresses.push(f.address);
  }
  return [...groups.values()].map(({ entry, why, addresses }) => {
    const rules = entry.affects!.includes('*') ? 'rules on every resource type' : `${entry.affects!.join(', ')} rules`;
    return {
      ...entry,
      message: `${file}: ${entry.operation} ${why} (${addresses.slice(0, 5).join(', ')}${addresses.length > 5 ? `, … ${addresses.length} in all` : ''}), so the ${rules} could not check it`,
    };
  });
}

export interface IacFileResult {
  file: string;
  format: IacFormat;
  resources: number;
  /** Terraform resources being deleted (not checked). */
  deleted: number;
  /** Resources of types this reader does not map, as coverage gaps. */
  notRead: CoverageEntry[];
}

export interface IacResult {
  snapshot: Snapshot;
  files: IacFileResult[];
  /** Problems of files that were skipped (only with keepGoing). */
  problems: Problem[];
}

const EXTENSIONS = /\.(json|ya?ml|template|tpl)$/i;
const TERRAFORM_FILE = /\.tf(\.json)?$/;

/** Files named on the command line, with folders expanded (recursively, to files that may hold plans or templates). */
export function expandPaths(paths: string[], cwd: string): string[] {
  return expandInputs(paths, cwd).files;
}

/**
 * Inputs named on the command line: plan and template files, and Terraform root module folders.
 * A folder holding .tf files is a root module (its other files are its own: policy JSON read by
 * file(), variables files), unless another folder of the walk calls it as a local module. A .tf
 * file named on its own is read with the rest of its folder, and only its resources reported.
 */
export function expandInputs(paths: string[], cwd: string): { files: string[]; configs: { dir: string; only?: Set<string> }[] } {
  const out: string[] = [];
  const dirs: string[] = [];
  const explicit = new Set<string>();
  const only = new Map<string, Set<string>>();
  // Below a Terraform folder, only Terraform folders are inputs: its other files (templates for
  // templatefile(), policy JSON for file(), fixtures) belong to the configuration.
  const visit = (p: string, top: boolean, inTerraform: boolean): void => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw fileError(relative(cwd, p) || p, e);
    }
    if (st.isDirectory()) {
      const isTf = dirHasConfig(p);
      if (isTf) {
        if (!dirs.includes(p)) dirs.push(p);
        if (top) explicit.add(p);
      }
      const entries = readdirSync(p).filter((n) => !n.startsWith('.') && n !== 'node_modules').sort();
      for (const n of entries) visit(join(p, n), false, inTerraform || isTf);
    } else if (inTerraform) {
      return;
    } else if (top && TERRAFORM_FILE.test(p)) {
      const dir = dirname(p);
      if (!dirs.includes(dir)) dirs.push(dir);
      explicit.add(dir);
      const set = only.get(dir) ?? new Set<string>();
      set.add(relative(cwd, p) || p);
      only.set(dir, set);
    } else if (top || EXTENSIONS.test(p)) out.push(p);
  };
  for (const p of paths) visit(isAbsolute(p) ? p : join(cwd, p), true, false);
  const roots = dirs.length > 0 ? configRoots(dirs, explicit) : [];
  // A folder named whole wins over files of it named alone.
  const whole = new Set(paths.map((p) => (isAbsolute(p) ? p : join(cwd, p))));
  return { files: out, configs: roots.map((dir) => ({ dir, ...(only.has(dir) && !whole.has(dir) ? { only: only.get(dir) } : {}) })) };
}

/** Recognises a file by its content: a Terraform plan (JSON with resource_changes/planned_values) or a CloudFormation template. */
export function detect(file: string, text: string): { format: Exclude<IacFormat, 'terraform-config'>; doc: Record<string, unknown>; lines?: Map<string, number> } {
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed === '') throw InputError.at({ file }, 'file is empty: expected a Terraform plan (terraform show -json) or a CloudFormation template');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    // Parse the original text so that reported lines match the file.
    const doc = parseJson(text.replace(/^\uFEFF/, ''), file);
    if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
      const d = doc as Record<string, unknown>;
      if ('resource_changes' in d || 'planned_values' in d) return { format: 'terraform-plan', doc: d };
      if (isTemplate(d)) return { format: 'cloudformation', doc: d, lines: jsonTemplateLines(trimmed) };
      if ('values' in d && 'terraform_version' in d) {
        throw InputError.at({ file }, 'this is Terraform state (terraform show -json without a plan file): give the plan, terraform show -json plan.out');
      }
    }
    throw InputError.at({ file }, 'JSON but neither a Terraform plan (no resource_changes) nor a CloudFormation template (no Resources with Type)');
  }
  if (/^\s*(resource|provider|module|variable|terraform|data)\s+("[\w-]+"\s*)*\{/m.test(text)) {
    throw InputError.at({ file }, 'this looks like Terraform source: name it .tf (or give its folder), or give a plan: terraform plan -out plan.out && terraform show -json plan.out');
  }
  const parsed = parseYamlTemplate(file, text);
  if (parsed.problems.length > 0) {
    throw new InputError(parsed.problems.map((p) => ({ ...p, message: `not a valid YAML CloudFormation template: ${p.message}` })));
  }
  if (isTemplate(parsed.doc)) return { format: 'cloudformation', doc: parsed.doc, lines: parsed.lines };
  throw InputError.at({ file }, 'neither a Terraform plan nor a CloudFormation template (no Resources with a Type)');
}

export function terraformDrafts(ctx: TfContext): Draft[] {
  return [
    ...tfS3(ctx), ...tfIam(ctx), ...mapAccount(ctx), ...tfTrails(ctx), ...tfKms(ctx), ...tfGroups(ctx),
    ...tfRdsInstances(ctx),
    ...tfRdsClusters(ctx),
    ...tfDynamoDb(ctx),
    ...tfBackupPlans(ctx),
    ...tfBackupVaults(ctx),
    ...tfSecrets(ctx),
    ...tfEfs(ctx),
    ...tfSns(ctx),
    ...tfSqs(ctx),
    ...tfEcr(ctx),
    ...tfDetection(ctx),
    ...tfMonitoring(ctx),
    ...tfLambda(ctx),
    ...tfElbv2(ctx),
    ...tfRdsSnapshots(ctx),
    ...tfCloudFront(ctx),
    ...tfOpenSearch(ctx),
    ...tfRedshift(ctx),
  ];
}

/**
 * The plan as the azurerm mappers see it: an Azure resource deploys to the subscription the code
 * states (its id, its provider block, the client-config data source), else --account, else
 * unknown; its region is its own `location`, else --region.
 */
function azurermView(plan: TfPlan, doc: Record<string, unknown>, file: string, opts: IacOptions): PlanView<TfInstance> {
  const subs = azurermSubscriptions(doc, plan.data);
  return {
    byType: (t) => plan.byType(t),
    resolve: (from, v, types) => plan.resolve(from, v, types),
    origin: (inst) => ({
      source: { kind: 'terraform', file: inst.file ?? file, line: inst.line, address: inst.address },
      account: subscriptionOf(inst, plan.providerKey(inst), subs, opts.account),
      region: opts.region ?? UNKNOWN_REGION,
    }),
  };
}

/** The instance's origin for the not-read report: Azure types deploy to subscriptions, AWS ones to accounts. */
function instanceOrigin(ctx: TfContext, azure: PlanView<TfInstance>, inst: TfInstance): { account: string; region: string } {
  if (inst.type.startsWith('azurerm_')) {
    const o = azure.origin(inst);
    const loc = inst.values.location;
    return { account: o.account, region: typeof loc === 'string' && loc !== '' ? loc.toLowerCase().replace(/\s+/g, '') : o.region };
  }
  return ctx.origin(inst);
}

function cloudFormationDrafts(ctx: CfnContext): Draft[] {
  return [
    ...cfnS3(ctx), ...cfnIam(ctx), ...cfnTrails(ctx), ...cfnKms(ctx), ...cfnGroups(ctx),
    ...cfnRdsInstances(ctx),
    ...cfnRdsClusters(ctx),
    ...cfnDynamoDb(ctx),
    ...cfnBackupPlans(ctx),
    ...cfnBackupVaults(ctx),
    ...cfnSecrets(ctx),
    ...cfnEfs(ctx),
    ...cfnSns(ctx),
    ...cfnSqs(ctx),
    ...cfnEcr(ctx),
    ...cfnDetection(ctx),
    ...cfnCompute(ctx),
    ...cfnCloudFront(ctx),
    ...cfnOpenSearch(ctx),
    ...cfnRedshift(ctx),
  ];
}

/** Reads one file into resources; throws InputError with every problem found. */
export function readIacFile(path: string, opts: IacOptions): { resources: Resource[]; result: IacFileResult } {
  const file = relative(opts.cwd, path) || path;
  let text: string;
  try {
    // The one checked reader: encodings other than UTF-8, binary data and endless input refused.
    text = readInputTextSync(path, { bytes: INPUT_LIMITS.document, what: 'a plan or template' });
  } catch (e) {
    // Named as the user sees it (relative to the working directory), like every other problem.
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => ({ ...p, file: p.file === path ? file : p.file, message: p.message.split(path).join(file) })));
    throw fileError(file, e);
  }
  const { format, doc, lines } = detect(file, text);
  let drafts: Draft[];
  let problems: Problem[];
  let deleted = 0;
  let notRead: CoverageEntry[];
  // Resources mapped by a provider's own mappers (azurerm), already in their final form.
  let extra: Resource[] = [];
  // Every reader below recurses into values: nesting no real input has is refused first.
  const deep = tooDeep(doc, MAX_DEPTH + 16);
  if (deep && format === 'terraform-plan') throw InputError.at({ file, pointer: pointerOf(deep) }, 'nests deeper than any plan Terraform writes (refused)');
  if (format === 'terraform-plan') {
    const plan = new TfPlan(file, text, doc, { account: opts.account, region: opts.region, defaultAccount: opts.defaultAccount });
    // The configuration beside the plan: findings point at the resource block, not line 1 of the plan.
    const sites = declarationSites(dirname(path), opts.cwd);
    if (sites) {
      for (const inst of [...plan.instances, ...plan.data]) {
        const site = sites.get(blockAddress(inst.address));
        if (site) Object.assign(inst, site);
      }
    }
    const ctx = new TfContext(plan, file);
    drafts = terraformDrafts(ctx);
    const azure = azurermView(plan, doc, file, opts);
    extra = mapAzurermPlan(azure);
    problems = [...plan.problems, ...ctx.problems];
    deleted = plan.deleted;
    notRead = unreadCoverage(
      format,
      file,
      plan.instances
        .filter((i) => TERRAFORM_UNMAPPED[i.type] !== undefined)
        .map((i): Unread => ({ what: i.type, address: i.address, ...instanceOrigin(ctx, azure, i), affects: [TERRAFORM_UNMAPPED[i.type]], why: 'is not read by trustscan' }))
        .concat(
          plan.valueless.flatMap((v): Unread[] => {
            const affects = terraformAffects(v.type);
            return affects ? [{ what: v.type, address: v.address, account: ctx.account, region: opts.region ?? UNKNOWN_REGION, affects, why: 'is in the plan without its values (a no-op whose before and after are null)' }] : [];
          }),
        ),
    );
  } else {
    const account = opts.account ?? opts.defaultAccount ?? UNKNOWN_ACCOUNT;
    const region = opts.region ?? UNKNOWN_REGION;
    const prepared = prepareTemplate({ file, doc, lines: lines ?? new Map() }, text, account, region);
    if (prepared.problems.length > 0) throw new InputError(prepared.problems);
    const ctx = new CfnContext(prepared.template, account, region);
    drafts = cloudFormationDrafts(ctx);
    problems = ctx.problems;
    notRead = unreadCoverage(format, file, prepared.gaps.map((g) => ({ ...g, account, region })));
  }
  const resources = [...drafts.map((d) => d.toResource()), ...extra];
  // Ids of resources without an ARN name the plan, wherever their block is declared.
  if (format === 'terraform-plan') for (const r of resources) if (r.id.startsWith('terraform:')) r.id = `terraform:${file}#${r.source.address}`;
  if (problems.length > 0) throw new InputError(problems);
  return { resources, result: { file, format, resources: resources.length, deleted, notRead } };
}

/**
 * Reads plans and templates into one snapshot of the runtime resource types, validated against
 * their schemas. A value that does not fit the schema (an unknown enum value, say) is reported
 * at the declaring resource.
 */
export function loadIac(paths: string[], registry: ResourceTypeRegistry, opts: IacOptions): IacResult {
  const started = new Date().toISOString();
  const { files, configs } = expandInputs(paths, opts.cwd);
  const validator = new SnapshotValidator(registry);
  const resources: Resource[] = [];
  const results: IacFileResult[] = [];
  const skipped: Problem[] = [];
  const ids = new Set<string>();
  const inputs: (() => { resources: Resource[]; result: IacFileResult })[] = [
    ...files.map((path) => () => readIacFile(path, opts)),
    ...configs.map((c) => () => {
      const r = readConfig(c, opts, terraformDrafts);
      // azurerm resources of the configuration, through the same mappers as a plan's.
      const azure = azurermView(r.plan, r.doc, r.display, opts);
      const azureResources = mapAzurermPlan(azure).filter((x) => !c.only || x.source.file === undefined || c.only.has(x.source.file));
      const account = r.plan.account ?? UNKNOWN_ACCOUNT;
      const origin = (i: TfInstance): { account: string; region: string } =>
        i.type.startsWith('azurerm_') ? instanceOrigin(new TfContext(r.plan, r.display), azure, i) : { account, region: r.plan.regionOf(i) ?? UNKNOWN_REGION };
      const notRead = unreadCoverage(
        'terraform-plan',
        r.display,
        r.plan.instances
          .filter((i) => TERRAFORM_UNMAPPED[i.type] !== undefined)
          .map((i): Unread => ({ what: i.type, address: i.address, ...origin(i), affects: [TERRAFORM_UNMAPPED[i.type]], why: 'is not read by trustscan' })),
      );
      const all = [...r.resources, ...azureResources];
      return { resources: all, result: { file: r.display, format: 'terraform-config' as const, resources: all.length, deleted: 0, notRead: [...notRead, ...r.coverage] } };
    }),
  ];
  for (const read of inputs) {
    try {
      const { resources: rs, result } = read();
      const problems: Problem[] = [];
      for (const r of rs) {
        // The same ARN declared in two inputs: keep both, told apart by where they are declared.
        if (ids.has(`${r.type} ${r.id}`)) r.id = `${r.id}#${result.file}:${r.source.address}`;
        for (let n = 2; ids.has(`${r.type} ${r.id}`); n++) r.id = `${r.id.replace(/#\d+$/, '')}#${n}`;
        ids.add(`${r.type} ${r.id}`);
        for (const p of validator.validateResource(r, { file: result.file, pointer: '' })) {
          problems.push({ file: result.file, line: r.source.line, message: `${r.source.address}: ${p.pointer?.replace(/^\/properties\//, '').replace(/\//g, '.')} ${p.message}` });
        }
      }
      if (problems.length > 0) throw new InputError(problems);
      resources.push(...rs);
      results.push(result);
    } catch (e) {
      if (!(e instanceof InputError) || !opts.keepGoing) throw e;
      skipped.push(...e.problems);
    }
  }
  // What the code does not say but the account (--context) or the AWS-managed policy catalogue does.
  for (const r of completeFromAccount(resources, opts.context)) {
    const problems = validator.validateResource(r, { file: r.source.file ?? '', pointer: '' });
    if (problems.length > 0) throw new InputError(problems.map((p) => ({ file: r.source.file ?? r.id, message: `${r.source.address}: ${p.pointer} ${p.message}` })));
    resources.push(r);
  }
  // Accounts and providers are those the code deploys to (an AWS account, an Azure subscription).
  const accountKeys = new Map<string, { provider: string; id: string }>();
  for (const r of resources) accountKeys.set(`${r.provider}\u0000${r.account}`, { provider: r.provider, id: r.account });
  const accounts = [...accountKeys.values()];
  const providers = [...new Set([...resources.map((r) => r.provider), ...results.flatMap((r) => r.notRead.map((c) => c.provider))])].sort();
  const snapshot: Snapshot = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    metadata: {
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      startedAt: started,
      finishedAt: new Date().toISOString(),
      providers: providers.length ? providers : ['aws'],
      accounts,
      description: `infrastructure code: ${results.map((r) => r.file).join(', ')}`,
    },
    resources,
    coverage: results.flatMap((r) => r.notRead),
  };
  return { snapshot, files: results, problems: skipped };
}
