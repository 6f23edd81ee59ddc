import { InputError } from '../../../../core/errors';
import type { DocumentAdapter } from '../../../../iac/adapter';
import { type Draft, UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { mapBackupPlans, mapBackupVaults } from './backup';
import { mapCloudTrail } from './cloudtrail';
import { mapCompute } from './compute';
import { CfnContext } from './context';
import { mapDetection } from './detection';
import { mapDynamoDbTables } from './dynamodb';
import { mapSecurityGroups } from './ec2';
import { mapEfs } from './efs';
import { mapIam } from './iam';
import { mapKms } from './kms';
import { mapEcr, mapSns, mapSqs } from './messaging';
import { prepareTemplate } from './prepare';
import { mapRdsClusters, mapRdsInstances } from './rds';
import { mapS3 } from './s3';
import { mapSecrets } from './secretsmanager';
import { isTemplate, jsonTemplateLines, parseYamlTemplate } from './template';
import { mapCloudFront, mapOpenSearch, mapRedshift } from './web-analytics';

/** Every mapping of CloudFormation resource types, in the order their resources are listed. */
function cloudFormationDrafts(ctx: CfnContext): Draft[] {
  return [
    ...mapS3(ctx),
    ...mapIam(ctx),
    ...mapCloudTrail(ctx),
    ...mapKms(ctx),
    ...mapSecurityGroups(ctx),
    ...mapRdsInstances(ctx),
    ...mapRdsClusters(ctx),
    ...mapDynamoDbTables(ctx),
    ...mapBackupPlans(ctx),
    ...mapBackupVaults(ctx),
    ...mapSecrets(ctx),
    ...mapEfs(ctx),
    ...mapSns(ctx),
    ...mapSqs(ctx),
    ...mapEcr(ctx),
    ...mapDetection(ctx),
    ...mapCompute(ctx),
    ...mapCloudFront(ctx),
    ...mapOpenSearch(ctx),
    ...mapRedshift(ctx),
  ];
}

/**
 * CloudFormation templates (JSON or YAML, SAM included) → the AWS resource types. A template
 * names neither its account nor its region: they come from the command line, else stay unknown.
 */
export const cloudFormationDocuments: DocumentAdapter = {
  format: 'cloudformation',
  noun: 'a CloudFormation template',
  lacks: 'no Resources with a Type',
  recognizeJson: (doc, text) => (isTemplate(doc) ? { lines: jsonTemplateLines(text) } : undefined),
  parseText(file, text) {
    const parsed = parseYamlTemplate(file, text);
    if (parsed.problems.length > 0) {
      throw new InputError(parsed.problems.map((p) => ({ ...p, message: `not a valid YAML CloudFormation template: ${p.message}` })));
    }
    return isTemplate(parsed.doc) ? { doc: parsed.doc, lines: parsed.lines } : undefined;
  },
  read({ file, text, doc, lines, placement }) {
    const account = placement.account ?? placement.defaultAccount ?? UNKNOWN_ACCOUNT;
    const region = placement.region ?? UNKNOWN_REGION;
    const prepared = prepareTemplate({ file, doc, lines }, text, account, region);
    if (prepared.problems.length > 0) throw new InputError(prepared.problems);
    const ctx = new CfnContext(prepared.template, account, region);
    const resources = cloudFormationDrafts(ctx).map((d) => d.toResource());
    return { resources, problems: ctx.problems, unread: prepared.gaps.map((g) => ({ ...g, provider: 'aws', account, region })) };
  },
};
