import { GetPolicyCommand, ListFunctionsCommand, type ListFunctionsCommandOutput, ListFunctionUrlConfigsCommand, type ListFunctionUrlConfigsCommandOutput } from '@aws-sdk/client-lambda';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsLambdaFunction } from '../types/lambda-function';
import type { AccountContext } from './context';
import { decodePolicy } from './resource';

/**
 * Lambda functions of one region: the listing (runtime, environment key), then per function its
 * resource policy (none is a fact) and its function URLs. Environment variable values are
 * counted, never kept: they often hold secrets.
 */
export async function collectLambda(ctx: AccountContext, region: string): Promise<void> {
  const lambda = ctx.clients.lambda(region);
  const list = await ctx.calls.pages(
    { service: 'lambda', operation: 'ListFunctions', region },
    (Marker, abortSignal) => lambda.send(new ListFunctionsCommand({ Marker, MaxItems: 50 }), { abortSignal }),
    (p: ListFunctionsCommandOutput) => p.NextMarker,
  );
  if (!list.ok) return;
  await Promise.all(
    list.value.flatMap((p) => p.Functions ?? []).map(async (f) => {
      const name = f.FunctionName ?? '';
      const arn = f.FunctionArn ?? `arn:${ctx.partition}:lambda:${region}:${ctx.account}:function:${name}`;
      const spec = (operation: string, absent?: string[]) => ({ service: 'lambda', operation, region, resourceId: arn, ...(absent ? { absent } : {}) });
      const [policy, urls] = await Promise.all([
        ctx.calls.one(spec('GetPolicy', ['ResourceNotFoundException']), (abortSignal) => lambda.send(new GetPolicyCommand({ FunctionName: arn }), { abortSignal })),
        ctx.calls.pages(
          spec('ListFunctionUrlConfigs'),
          (Marker, abortSignal) => lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: arn, Marker }), { abortSignal }),
          (p: ListFunctionUrlConfigsCommandOutput) => p.NextMarker,
        ),
      ]);
      const d = new ResourceDraft(awsLambdaFunction, {
        name,
        arn,
        runtime: f.Runtime ?? null,
        packageType: f.PackageType ?? null,
        environmentVariableCount: Object.keys(f.Environment?.Variables ?? {}).length,
        kmsKeyArn: f.KMSKeyArn ?? null,
        policy: null,
        urls: urls.ok ? urls.value.flatMap((p) => p.FunctionUrlConfigs ?? []).map((u) => ({ url: u.FunctionUrl ?? '', authType: u.AuthType ?? '' })) : [],
      });
      d.from(urls);
      if (d.from(policy) && policy.value) {
        const doc = decodePolicy(policy.value.Policy);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
      }
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name }));
    }),
  );
}
