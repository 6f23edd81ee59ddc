// Validates GitHub Actions files with GitHub's own parser and schema (@actions/workflow-parser,
// ESM only, hence a script the test runs): `node github-schema.mjs workflow|action FILE...`
// prints {file: [errors]} as JSON.
import { readFileSync } from 'node:fs';
import { register } from 'node:module';

// The parser imports its schema JSON without an import attribute, which Node 20 refuses: add it.
const hook = `export async function load(url, context, next) {
  return next(url, url.endsWith('.json') ? { ...context, importAttributes: { type: 'json' } } : context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
const { NoOperationTraceWriter, parseWorkflow, convertWorkflowTemplate } = await import('@actions/workflow-parser');
const { parseAction, convertActionTemplate } = await import('@actions/workflow-parser/actions/index');

const [kind, ...files] = process.argv.slice(2);
const out = {};
for (const name of files) {
  const file = { name, content: readFileSync(name, 'utf8') };
  const trace = new NoOperationTraceWriter();
  const parsed = kind === 'action' ? parseAction(file, trace) : parseWorkflow(file, trace);
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value && !errors.length) {
    // Conversion checks what the schema alone does not (job needs, matrix, expressions).
    if (kind === 'action') convertActionTemplate(parsed.context, parsed.value);
    else await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...parsed.context.errors.getErrors().map((e) => e.message));
  }
  out[name] = errors;
}
process.stdout.write(JSON.stringify(out));
