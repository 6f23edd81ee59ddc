import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/cli/io';
import { Progress } from '../../src/pipeline/progress';

/** A terminal-like stderr that records every write. */
function terminal(): { stream: PassThrough & { isTTY: boolean }; writes: string[] } {
  const writes: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY: true });
  stream.on('data', (d) => writes.push(String(d)));
  return { stream, writes };
}

/** Carriage return + erase line: how the progress line is drawn over and wiped. */
const WIPE = '\r\x1b[2K';

const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('logs and the progress line', () => {
  it.each(['text', 'json', 'pretty'] as const)('a %s log line is written on a line of its own, the progress line wiped before and drawn again after', async (logFormat) => {
    const { stream, writes } = terminal();
    const progress = new Progress(stream);
    progress.addAccounts(3);
    progress.start();
    await tick(300);
    expect(writes.at(-1)).toMatch(new RegExp(`^${WIPE.replace(/\[/, '\\[')}collecting: accounts 0/3`));
    const log = createLogger({ stdout: new PassThrough(), stderr: stream, env: { NO_COLOR: '1' }, cwd: '/' }, { logLevel: 'info', logFormat, color: false });
    log.warn('account 111111111111 skipped');
    await tick();
    progress.stop();
    await tick();
    const i = writes.findIndex((w) => w.includes('account 111111111111 skipped'));
    expect(i).toBeGreaterThan(0);
    // Wiped just before (the log line does not start in the middle of the progress line) …
    expect(writes[i - 1]).toBe(WIPE);
    expect(writes[i]).toMatch(/\n$/);
    expect(writes[i]).not.toContain('collecting:');
    // … and drawn again right after.
    expect(writes[i + 1]).toMatch(new RegExp(`^${WIPE.replace(/\[/, '\\[')}collecting: accounts 0/3`));
  });

  it('off a terminal, the default is one plain line per entry', async () => {
    const writes: string[] = [];
    const stderr = new PassThrough();
    stderr.on('data', (d) => writes.push(String(d)));
    const log = createLogger({ stdout: new PassThrough(), stderr, env: {}, cwd: '/' }, { logLevel: 'info' });
    log.info({ accounts: 2 }, 'collection finished');
    await tick();
    expect(writes.join('')).toMatch(/^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] INFO: collection finished \{"accounts":2\}\n$/);
  });
});
