#!/usr/bin/env node
/**
 * Rebuilds data/aws/sam-policy-templates.json: what each AWS SAM policy template
 * (`Policies: [{S3ReadPolicy: {BucketName: …}}]`) grants, as trustscan expands it.
 *
 *   node scripts/build-sam-policy-templates.mjs PATH/TO/policy_templates.json SOURCE DATE
 *
 * The input is `samtranslator/policy_templates_data/policy_templates.json` of the AWS SAM
 * translator (github.com/aws/serverless-application-model, Apache-2.0); SOURCE names the commit it
 * was read from, DATE its date. Only the statements and the parameter names are kept: a
 * template's statements name its parameters as `{"Ref": "<Parameter>"}`, which trustscan replaces
 * by the values the template gives, as the SAM translator does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [input, source, date] = process.argv.slice(2);
if (!input || !source || !date) {
  process.stderr.write('usage: node scripts/build-sam-policy-templates.mjs policy_templates.json SOURCE DATE\n');
  process.exit(2);
}
const raw = JSON.parse(readFileSync(input, 'utf8'));
const templates = {};
for (const name of Object.keys(raw.Templates).sort()) {
  const t = raw.Templates[name];
  templates[name] = { parameters: Object.keys(t.Parameters ?? {}).sort(), statement: t.Definition.Statement };
}
const out = {
  description: 'What each AWS SAM policy template grants: its parameters and the statements it expands to ({"Ref": "<Parameter>"} stands for the value given).',
  source,
  date,
  license: 'Apache-2.0 (AWS SAM translator policy templates)',
  refresh: 'node scripts/build-sam-policy-templates.mjs policy_templates.json SOURCE DATE',
  templates,
};
const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'aws', 'sam-policy-templates.json');
writeFileSync(target, `${JSON.stringify(out)}\n`);
process.stdout.write(`${Object.keys(templates).length} templates → ${target}\n`);
