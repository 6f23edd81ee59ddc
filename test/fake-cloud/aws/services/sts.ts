import { FakeError, type Handler } from '../server';
import { el, nest } from '../xml';

/** STS over the Query protocol: who am I, and AssumeRole into a scenario account's scanner role. */
export const stsHandlers: Record<string, Handler> = {
  GetCallerIdentity(ctx) {
    const caller = ctx.fake.scenario.callers.find((c) => c.account === ctx.accountId);
    const arn = caller?.userName ? `arn:aws:iam::${ctx.accountId}:user/${caller.userName}` : `arn:aws:sts::${ctx.accountId}:assumed-role/scanner/session`;
    return el('Arn', arn) + el('UserId', 'AIDAFAKECALLER') + el('Account', ctx.accountId);
  },

  AssumeRole(ctx) {
    const roleArn = ctx.params.get('RoleArn') ?? '';
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
    if (!m) throw new FakeError('ValidationError', 400, `invalid RoleArn ${roleArn}`);
    const target = ctx.fake.account(m[1]);
    const role = target?.scannerRoles?.find((r) => r.name === m[2]);
    const deny = (): never => {
      throw new FakeError('AccessDenied', 403, `User: arn:aws:iam::${ctx.accountId}:user/scanner is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    };
    if (!target || !role) deny();
    if (role!.externalId !== undefined && role!.externalId !== ctx.params.get('ExternalId')) deny();
    const creds = ctx.fake.issueSession(m[1]);
    const session = ctx.params.get('RoleSessionName') ?? 'session';
    return (
      nest(
        'Credentials',
        el('AccessKeyId', creds.accessKeyId),
        el('SecretAccessKey', creds.secretAccessKey),
        el('SessionToken', creds.sessionToken),
        el('Expiration', new Date(Date.now() + 3600_000).toISOString()),
      ) + nest('AssumedRoleUser', el('Arn', `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}`), el('AssumedRoleId', `AROAFAKE:${session}`))
    );
  },
};
