import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, DEMO, ROOT, tempDir } from '../helpers';
import { RESULTS_SCHEMA_VERSION } from '../../src/core/types';

/**
 * The bad-input table: every hostile input through the real CLI must end with exit 2 and one
 * message naming the file and the problem — never an internal error (3), a hang, a crash, or a
 * silent pass. Runs as a real process, in a folder of its own (trustscan.yaml is looked for there).
 */

const isRoot = process.getuid?.() === 0;
const dir = tempDir();
const rulesOf = (name: string, text: string): string => {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'test-hostile.yaml'), text);
  return d;
};
const RULE = readFileSync(join(ROOT, 'rules', 'aws', 'iam', 'aws-iam-root-mfa.yaml'), 'utf8').replace('id: aws-iam-root-mfa', 'id: test-hostile');
const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
  ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n');
const DEMO_TEXT = readFileSync(DEMO, 'utf8');

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

interface Case {
  name: string;
  args: () => string[];
  /** Standard input: a file to read it from. */
  stdin?: string;
  /** Run through a shell (for pipes of endless producers). */
  shell?: string;
  /** What stderr must say (file name and problem). */
  message: RegExp;
  when?: boolean;
}

function readOnlyFolder(): string {
  const d = join(dir, 'read-only');
  mkdirSync(d, { recursive: true });
  // root ignores permission bits: make it immutable instead.
  if (isRoot) execFileSync('chattr', ['+i', d]);
  else chmodSync(d, 0o555);
  return d;
}

function fullDevice(): string {
  const p = join(dir, 'full-device');
  if (!existsSync(p)) execFileSync('mknod', [p, 'c', '1', '7']); // a copy of /dev/full
  return p;
}

const chattrWorks = isRoot && spawnSync('chattr', ['-V'], { encoding: 'utf8' }).status !== null;

const cases: Case[] = [
  { name: 'output in a read-only or immutable folder', args: () => ['evaluate', DEMO, '--format', 'json', '-o', join(readOnlyFolder(), 'out.json')], message: /read-only\/out\.json: cannot write the output: (permission denied|operation not permitted)/, when: !isRoot || chattrWorks },
  { name: 'output to a full device', args: () => ['evaluate', DEMO, '--format', 'json', '-o', fullDevice()], message: /full-device: cannot write the output: no space left on the device/, when: isRoot },
  { name: 'output path is a folder', args: () => (mkdirSync(join(dir, 'a-folder'), { recursive: true }), ['evaluate', DEMO, '--format', 'json', '-o', join(dir, 'a-folder')]), message: /a-folder: cannot write the output: is a folder/ },
  { name: '--output-dir is a file', args: () => ['evaluate', DEMO, '--output-dir', file('a-file', 'x')], message: /a-file: cannot write the output: a file of that name is in the way/ },
  { name: 'output folder missing (-o)', args: () => ['evaluate', DEMO, '--format', 'json', '-o', join(dir, 'missing', 'out.json')], message: /missing\/out\.json: cannot write json output: folder .*missing does not exist/ },
  { name: 'alias bomb in --config', args: () => ['evaluate', DEMO, '--config', file('bomb.yaml', BOMB)], message: /bomb\.yaml:2:\d+: aliases \(\*name\) expand to more than 1000 copies/ },
  { name: 'alias bomb in trustscan.yaml', args: () => ['evaluate', DEMO], message: /trustscan\.yaml:2:\d+: aliases/ },
  { name: 'alias bomb in a rule file', args: () => ['evaluate', DEMO, '--rules', rulesOf('bomb-rules', BOMB)], message: /test-hostile\.yaml:2:\d+: aliases/ },
  { name: 'alias bomb in rules validate', args: () => ['rules', 'validate', rulesOf('bomb-rules', BOMB)], message: /test-hostile\.yaml:2:\d+: aliases/ },
  { name: 'alias bomb in --suppressions', args: () => ['evaluate', DEMO, '--suppressions', file('bomb-sup.yaml', `suppressions: []\n${BOMB}`)], message: /bomb-sup\.yaml:3:\d+: aliases/ },
  { name: 'multi-document config', args: () => ['evaluate', DEMO, '--config', file('multi.yaml', 'failOn: high\n---\nfailOn: low\n')], message: /multi\.yaml:2:1: a second YAML document starts here/ },
  { name: 'YAML nested 50,000 deep', args: () => ['evaluate', DEMO, '--config', file('deep.yaml', `rules: ${'['.repeat(50000)}${']'.repeat(50000)}`)], message: /deep\.yaml:1:\d+: YAML nested more than 200 levels deep/ },
  { name: 'config in UTF-16', args: () => ['evaluate', DEMO, '--config', file('u16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('failOn: high\n', 'utf16le')]))], message: /u16\.yaml: the text is encoded in UTF-16LE/ },
  { name: 'rule file in UTF-16 without a byte-order mark', args: () => ['rules', 'validate', rulesOf('u16-rules', '')].map((a) => (a.endsWith('u16-rules') ? (writeFileSync(join(a, 'test-hostile.yaml'), Buffer.from(RULE, 'utf16le')), a) : a)), message: /test-hostile\.yaml: the text is encoded in UTF-16LE \(no byte-order mark\)/ },
  { name: 'snapshot in UTF-16BE', args: () => ['evaluate', file('u16be.json', Buffer.from(DEMO_TEXT, 'utf16le').swap16())], message: /u16be\.json: the text is encoded in UTF-16BE/ },
  { name: 'snapshot /dev/zero', args: () => ['evaluate', '/dev/zero'], message: /\/dev\/zero: binary data, not text/ },
  { name: 'snapshot from endless stdin (/dev/zero)', args: () => ['evaluate', '-'], stdin: '/dev/zero', message: /<stdin>: binary data, not text/ },
  { name: 'snapshot from an endless text pipe', args: () => [], shell: `yes '{' | "${process.execPath}" "${BIN}" --log-format json evaluate - --no-config`, message: /<stdin>: larger than the 500 MiB limit for a snapshot read as one JSON document/ },
  { name: 'snapshot that is an endless pipe of something else', args: () => [], shell: `yes | "${process.execPath}" "${BIN}" --log-format json evaluate - --no-config`, message: /<stdin>:1:1: not a snapshot/ },
  { name: 'baseline /dev/zero', args: () => ['evaluate', DEMO, '--baseline', '/dev/zero'], message: /\/dev\/zero: binary data/ },
  { name: 'results /dev/zero (controls)', args: () => ['controls', '/dev/zero'], message: /\/dev\/zero: binary data/ },
  { name: 'results /dev/zero (diff)', args: () => ['diff', '/dev/zero', DEMO], message: /\/dev\/zero: binary data/ },
  { name: 'an empty --rules folder', args: () => (mkdirSync(join(dir, 'no-rules'), { recursive: true }), ['evaluate', DEMO, '--rules', join(dir, 'no-rules')]), message: /no-rules: no rule files \(\*\.yaml, \*\.yml\) in this folder/ },
  { name: 'a rule regex that cannot run in linear time', args: () => ['rules', 'validate', rulesOf('lookahead', RULE.replace(/check:[\s\S]*?\ntests:/, 'check: { path: $name, matches: "(?=a)a" }\ntests:'))], message: /test-hostile\.yaml:\d+:\d+: invalid regular expression .*lookarounds and backreferences are not supported/ },
  { name: 'a rule path through __proto__', args: () => ['rules', 'validate', rulesOf('proto', RULE.replace(/check:[\s\S]*?\ntests:/, 'check: { path: "__proto__.x", exists: true }\ntests:'))], message: /test-hostile\.yaml:\d+:\d+: '__proto__' cannot be read in rule paths/ },
  { name: 'config output outside the working directory', args: () => ['evaluate', DEMO, '--config', file('escape.yaml', 'formats: [json=../escaped.json]\n')], message: /escape\.yaml: output path .*escaped\.json is outside the working directory/ },
];

describe('bad-input table: exit 2 and a message naming the file, never 3', () => {
  beforeAll(() => writeFileSync(join(dir, 'trustscan.yaml'), BOMB));

  it.each(cases.filter((c) => c.when !== false).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // The alias-bomb-in-trustscan.yaml case reads the folder's trustscan.yaml; the others must not.
    const given = c.args();
    const takesConfig = given[0] === 'evaluate' && !given.includes('--config') && c.name !== 'alias bomb in trustscan.yaml';
    const args = takesConfig ? [...given, '--no-config'] : given;
    const r = c.shell
      ? spawnSync('bash', ['-c', c.shell], { cwd: dir, encoding: 'utf8', timeout: 60_000 })
      : spawnSync(process.execPath, [BIN, '--log-format', 'json', ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, stdio: [c.stdin ? openSync(c.stdin, 'r') : 'ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
    expect({ code: r.status, signal: r.signal }).toEqual({ code: 2, signal: null });
    const messages = r.stderr.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages.join('\n')).toMatch(c.message);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at .+:\d+:\d+/);
  }, 90_000);

  afterAll(() => {
    if (isRoot) spawnSync('chattr', ['-i', join(dir, 'read-only')]);
    else if (existsSync(join(dir, 'read-only'))) chmodSync(join(dir, 'read-only'), 0o755);
  });
});

describe('outputs that are not ours to replace', () => {
  const run = (args: string[]): number | null => spawnSync(process.execPath, [BIN, ...args, '--no-config'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } }).status;

  it('a FIFO is written in place, not replaced by a file', () => {
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawnSync('bash', ['-c', `cat "${fifo}" > "${join(dir, 'from-fifo.json')}" & "${process.execPath}" "${BIN}" evaluate "${DEMO}" --no-config --format json -o "${fifo}"; wait`], { cwd: dir, encoding: 'utf8' });
    expect(reader.status).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'from-fifo.json'), 'utf8')).schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
  });

  (isRoot ? it : it.skip)('a copy of /dev/null stays a device', () => {
    const dev = join(dir, 'null-device');
    execFileSync('mknod', [dev, 'c', '1', '3']);
    expect(run(['evaluate', DEMO, '--format', 'json', '-o', dev])).toBe(0);
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
  });

  it('a symbolic link is followed: the target is written, the link stays', () => {
    const target = file('target.json', 'old');
    const link = join(dir, 'link.json');
    symlinkSync(target, link);
    expect(run(['evaluate', DEMO, '--format', 'json', '-o', link])).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).schemaVersion).toBe(RESULTS_SCHEMA_VERSION);
  });

  it('temporary files of killed runs are removed by the next run; an existing file keeps its mode', () => {
    const out = file('kept.json', 'old');
    chmodSync(out, 0o640);
    file('.kept.json.tmp-999999-0123abcd', 'left by a killed run');
    expect(run(['evaluate', DEMO, '--format', 'json', '-o', out])).toBe(0);
    expect(readdirSync(dir).filter((n) => n.startsWith('.kept.json.tmp-'))).toEqual([]);
    expect(lstatSync(out).mode & 0o777).toBe(0o640);
  });

  it('an interrupted run removes its temporary file', async () => {
    const out = join(dir, 'interrupted.ndjson');
    const { spawn } = await import('node:child_process');
    // The verbose table is larger than a pipe's buffer: with nobody reading stdout, the run blocks
    // on it with the ndjson temporary file open, and is interrupted there.
    const child = spawn(process.execPath, [BIN, 'evaluate', DEMO, '--no-config', '--format', `ndjson=${out}`, '--format', 'table', '-v'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
    const temps = (): string[] => readdirSync(dir).filter((n) => n.startsWith('.interrupted.ndjson.tmp-'));
    for (let i = 0; i < 200 && temps().length === 0 && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    expect(temps()).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(temps()).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});
