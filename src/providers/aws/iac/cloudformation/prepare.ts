import type { Problem } from '../../../../core/errors';
import { partitionOf } from '../arn';
import { pointerOf, tooDeep } from '../../../../iac/limits';
import { checkTemplate } from './check';
import { affectedBy, classify, EVERYTHING } from './coverage';
import { expandForEach } from './foreach';
import { Resolver } from './intrinsics';
import { expandSam } from './sam';
import type { CfnTemplate } from './template';

const SAM = 'AWS::Serverless-2016-10-31';
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';

/** A construct of the template that is not read: what it is, where, which runtime types it may change, and why. */
export interface TemplateGap {
  /** What was not read: a resource type, `Transform X`, `Fn::ForEach::X`, … */
  what: string;
  address: string;
  affects: string[];
  why: string;
}

/**
 * A parsed template made ready for the mappings: checked (the shape CloudFormation demands),
 * its transforms expanded as far as trustscan can (AWS::LanguageExtensions' Fn::ForEach, the AWS
 * SAM transform), and every construct that is not read — other transforms and macros, custom and
 * third-party types, nested stacks, types of the checked services not read — listed as a gap.
 */
export function prepareTemplate(template: CfnTemplate, text: string, account: string, region: string): { template: CfnTemplate; gaps: TemplateGap[]; problems: Problem[] } {
  const { file } = template;
  let { doc, lines } = template;
  const deep = tooDeep(doc);
  if (deep) {
    const id = deep[0] === 'Resources' && typeof deep[1] === 'string' ? deep[1] : undefined;
    return { template, gaps: [], problems: [{ file, line: id ? lines.get(id) : undefined, pointer: pointerOf(deep), message: `${id ? `${id}: ` : ''}nests deeper than any real template (refused)` }] };
  }
  const gaps: TemplateGap[] = [];
  const problems: Problem[] = [];
  const transforms = transformNames(doc.Transform);
  if (typeof transforms === 'string') return { template, gaps, problems: [{ file, message: transforms }] };
  for (const t of transforms) {
    if (t !== SAM && t !== LANGUAGE_EXTENSIONS) {
      gaps.push({ what: `Transform ${t}`, address: 'Transform', affects: EVERYTHING, why: 'runs at deploy and may add or change any resource: trustscan does not expand it' });
    }
  }
  const resolver = new Resolver(doc, account, region);
  const loops = Object.keys(isMap(doc.Resources) ? doc.Resources : {}).filter((k) => k.startsWith('Fn::ForEach::'));
  if (transforms.includes(LANGUAGE_EXTENSIONS)) {
    const e = expandForEach(doc, lines, resolver, file);
    doc = e.doc;
    lines = e.lines;
    problems.push(...e.problems);
    for (const g of e.gaps) {
      const affects = new Set<string>();
      for (const t of g.types) for (const a of affectedBy(t) ?? []) affects.add(a);
      if (g.types.length === 0) affects.add('*');
      if (affects.size > 0) gaps.push({ what: g.loop, address: g.loop, affects: affects.has('*') ? EVERYTHING : [...affects], why: `is not expanded: ${g.reason}` });
    }
  } else if (loops.length > 0) {
    problems.push({ file, line: lines.get(loops[0]), message: `${loops[0]}: Fn::ForEach needs "Transform: ${LANGUAGE_EXTENSIONS}"` });
  }
  problems.push(...checkTemplate(file, doc, lines, text, gaps.some((g) => g.what.startsWith('Fn::ForEach::'))));
  if (problems.length > 0) return { template, gaps, problems };
  if (transforms.includes(SAM)) {
    const s = expandSam(doc, lines, file, partitionOf(region));
    doc = s.doc;
    lines = s.lines;
    problems.push(...s.problems);
    for (const g of s.gaps) gaps.push({ what: 'AWS SAM', address: g.address, affects: g.affects, why: g.why });
  }
  const created = new Resolver(doc, account, region);
  for (const [id, r] of Object.entries(doc.Resources as Record<string, Record<string, unknown>>)) {
    if (Object.keys(r).some((k) => k !== 'Properties' && containsTransform(r[k])) || 'Fn::Transform' in r) {
      gaps.push({ what: 'Fn::Transform', address: id, affects: EVERYTHING, why: 'calls a macro at deploy, which may change the resource or add others' });
    }
    if (created.created(id) === false) continue;
    const c = classify(String(r.Type));
    if (!c.read && c.affects !== null) gaps.push({ what: String(r.Type), address: id, affects: c.affects, why: c.why });
  }
  if ('Fn::Transform' in (doc.Resources as object)) gaps.push({ what: 'Fn::Transform', address: 'Resources', affects: EVERYTHING, why: 'calls a macro at deploy, which may add or change any resource' });
  return { template: { file, doc, lines }, gaps, problems };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function containsTransform(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsTransform);
  if (!isMap(v)) return false;
  return 'Fn::Transform' in v || Object.values(v).some(containsTransform);
}

/** The template's Transform: a name, or a list of names (a macro may be given as {Name, Parameters}). */
function transformNames(t: unknown): string[] | string {
  if (t === undefined || t === null) return [];
  const list = Array.isArray(t) ? t : [t];
  const out: string[] = [];
  for (const x of list) {
    if (typeof x === 'string') out.push(x);
    else if (isMap(x) && typeof x.Name === 'string') out.push(x.Name);
    else return 'Transform must be a transform name or a list of names';
  }
  return out;
}
