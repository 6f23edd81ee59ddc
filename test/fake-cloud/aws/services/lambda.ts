import { FakeError, type Handler, page } from '../server';

/** Lambda over REST-JSON: functions of the region, their resource policies and function URLs. */

type Ctx = Parameters<Handler>[0];
const functions = (ctx: Ctx) => ctx.account.regions.find((r) => r.name === ctx.region)?.lambdaFunctions ?? [];
const arnOf = (ctx: Ctx, name: string): string => `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;

function find(ctx: Ctx) {
  const ref = decodeURIComponent(ctx.path.split('/')[3] ?? '');
  ctx.resource = ref;
  const f = functions(ctx).find((x) => x.name === ref || arnOf(ctx, x.name) === ref);
  if (!f) throw new FakeError('ResourceNotFoundException', 404, `Function not found: ${ref}`);
  return f;
}

export const lambdaHandlers: Record<string, Handler> = {
  ListFunctions(ctx) {
    const items = functions(ctx).map((f) => ({
      FunctionName: f.name,
      FunctionArn: arnOf(ctx, f.name),
      ...(f.runtime ? { Runtime: f.runtime, PackageType: 'Zip', Handler: 'index.handler' } : { PackageType: 'Image' }),
      Role: `arn:aws:iam::${ctx.accountId}:role/${f.name}`,
      ...(f.environment ? { Environment: { Variables: f.environment } } : {}),
      ...(f.kmsKeyArn ? { KMSKeyArn: f.kmsKeyArn } : {}),
      LastModified: '2025-01-01T00:00:00.000+0000',
    }));
    const { items: pageItems, next } = page(items, ctx.query.get('Marker'), ctx.fake.pageSize('lambda:ListFunctions', Number(ctx.query.get('MaxItems') ?? 0), 50));
    return { Functions: pageItems, ...(next ? { NextMarker: next } : {}) };
  },
  GetPolicy(ctx) {
    const f = find(ctx);
    if (!f.policy) throw new FakeError('ResourceNotFoundException', 404, 'The resource you requested does not exist.');
    return { Policy: JSON.stringify(f.policy), RevisionId: 'r1' };
  },
  ListFunctionUrlConfigs(ctx) {
    const f = find(ctx);
    const urls = f.urlAuthType ? [{ FunctionUrl: `https://${f.name}.lambda-url.${ctx.region}.on.aws/`, FunctionArn: arnOf(ctx, f.name), AuthType: f.urlAuthType, CreationTime: '2025-01-01T00:00:00Z', LastModifiedTime: '2025-01-01T00:00:00Z' }] : [];
    return { FunctionUrlConfigs: urls };
  },
};
