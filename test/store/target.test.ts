import { join } from 'node:path';
import { parseConfig } from '../../src/config/config';
import { defaultHistoryFile, redact, resolveHistoryTarget } from '../../src/store/target';

/** Which store a command uses: the command line, then trustscan.yaml, then $TRUSTSCAN_HISTORY, then the per-user file. */

describe('history store target', () => {
  const env = { XDG_DATA_HOME: '/data' };

  it('is off unless asked', () => {
    expect(resolveHistoryTarget(undefined, undefined, env, '/w')).toBeUndefined();
    expect(resolveHistoryTarget(undefined, false, env, '/w')).toBeUndefined();
    expect(resolveHistoryTarget(false, true, env, '/w')).toBeUndefined();
  });

  it('takes --history FILE relative to the working folder, and a postgres URL as it is', () => {
    expect(resolveHistoryTarget('h.db', undefined, env, '/w')).toEqual({ kind: 'sqlite', file: '/w/h.db' });
    expect(resolveHistoryTarget('postgresql://u@db/x', undefined, env, '/w')).toEqual({ kind: 'postgres', url: 'postgresql://u@db/x' });
  });

  it('uses the configured store for --history alone, else $TRUSTSCAN_HISTORY, else the per-user file', () => {
    expect(resolveHistoryTarget(true, '/cfg/h.db', env, '/w')).toEqual({ kind: 'sqlite', file: '/cfg/h.db' });
    expect(resolveHistoryTarget(true, undefined, { ...env, TRUSTSCAN_HISTORY: 'postgres://db/x' }, '/w')).toEqual({ kind: 'postgres', url: 'postgres://db/x' });
    expect(resolveHistoryTarget(true, undefined, env, '/w')).toEqual({ kind: 'sqlite', file: '/data/trustscan/history.db' });
    expect(resolveHistoryTarget(undefined, true, env, '/w')).toEqual({ kind: 'sqlite', file: '/data/trustscan/history.db' });
  });

  it('puts the per-user store where each system keeps user data', () => {
    expect(defaultHistoryFile({}, 'linux', '/home/a')).toBe('/home/a/.local/share/trustscan/history.db');
    expect(defaultHistoryFile({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/a')).toBe('/home/a/.local/share/trustscan/history.db');
    expect(defaultHistoryFile({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/trustscan/history.db');
    expect(defaultHistoryFile({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32', 'C:\\Users\\a')).toBe(join('C:\\Users\\a\\AppData\\Local', 'trustscan', 'history.db'));
  });

  it('refuses other URL schemes and never repeats a password', () => {
    expect(() => resolveHistoryTarget('mysql://u:secret@db/x', undefined, env, '/w')).toThrow(/only a file path or a postgres:\/\/ URL/);
    expect(() => resolveHistoryTarget('mysql://u:secret@db/x', undefined, env, '/w')).not.toThrow(/secret/);
    expect(redact('postgres://u:secret@db:5432/x?password=p2&sslmode=require')).toBe('postgres://u:***@db:5432/x?password=***&sslmode=require');
  });

  it('reads history: from trustscan.yaml, relative to the file, and rejects a wrong type with its place', () => {
    expect(parseConfig('history: store/h.db\n', '/proj/trustscan.yaml').history).toBe('/proj/store/h.db');
    expect(parseConfig('history: true\n', '/proj/trustscan.yaml').history).toBe(true);
    expect(parseConfig('history: postgres://db/x\n', '/proj/trustscan.yaml').history).toBe('postgres://db/x');
    expect(() => parseConfig('history: 5\n', '/proj/trustscan.yaml')).toThrow(/\/proj\/trustscan\.yaml:1:\d+/);
  });
});
