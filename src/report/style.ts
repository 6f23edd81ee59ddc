import pc from 'picocolors';
import type { ControlStatus, Severity, Status } from '../core/types';

export type Colors = ReturnType<typeof pc.createColors>;

/** Colours for a stream: on for a terminal unless NO_COLOR is set; FORCE_COLOR turns them on anywhere. */
export function colorsFor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): Colors {
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0';
  const enabled = forced || (isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb');
  return pc.createColors(enabled);
}

export function paintStatus(c: Colors, s: Status | ControlStatus): string {
  switch (s) {
    case 'PASS':
      return c.green(s);
    case 'FAIL':
      return c.red(c.bold(s));
    case 'UNKNOWN':
      return c.yellow(s);
    case 'MUTED':
      return c.dim(s);
    case 'MANUAL':
      return c.cyan(s);
  }
}

export function paintSeverity(c: Colors, s: Severity): string {
  switch (s) {
    case 'critical':
      return c.bgRed(c.white(c.bold(s)));
    case 'high':
      return c.red(s);
    case 'medium':
      return c.yellow(s);
    case 'low':
      return c.blue(s);
    case 'info':
      return c.dim(s);
  }
}
