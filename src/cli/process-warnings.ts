import type { Logger } from 'pino';

/**
 * Node prints process warnings (`process.emitWarning`, used by SDKs) straight to stderr, outside
 * the structured log and over the progress line. In the CLI process they go to the log instead:
 * the AWS SDK's notice that its releases after January 2027 need Node 22 as information (it is
 * about future updates, not this run), anything else as a warning. Only for the real process:
 * a host that embeds `run` keeps its own warning handling.
 */
export function routeProcessWarnings(log: Logger): void {
  process.removeAllListeners('warning');
  process.on('warning', (w: Error & { code?: string }) => {
    const name = /^(\w+Warning):/.exec(w.message)?.[1] ?? w.name;
    const text = w.message.replace(/^\w+Warning:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
    if (name === 'NodeVersionSupportWarning') log.info({ warning: name }, text);
    else log.warn({ warning: name, ...(w.code ? { code: w.code } : {}) }, text);
  });
}
