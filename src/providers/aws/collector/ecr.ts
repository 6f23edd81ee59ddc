import {
  DescribeRepositoriesCommand,
  type DescribeRepositoriesCommandOutput,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  type RegistryScanningRule,
} from '@aws-sdk/client-ecr';
import { ResourceDraft } from '../../../collect/resource-draft';
import { awsEcrRepository } from '../types/ecr-repository';
import type { AccountContext } from './context';
import { decodePolicy } from './resource';

/** ECR's wildcard filters: `*` matches any run of characters. */
function wildcard(filter: string, name: string): boolean {
  return new RegExp(`^${filter.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(name);
}

/** Whether a registry scanning rule scans `name` on push or continuously. */
function registryScans(rules: RegistryScanningRule[], name: string): boolean {
  return rules.some((r) => (r.scanFrequency === 'SCAN_ON_PUSH' || r.scanFrequency === 'CONTINUOUS_SCAN') && (r.repositoryFilters ?? []).some((f) => wildcard(f.filter ?? '', name)));
}

/**
 * Private ECR repositories of one region: the listing, the registry's scanning rules (one call,
 * they override the repositories' own setting), and each repository's policy (none is a fact).
 */
export async function collectEcr(ctx: AccountContext, region: string): Promise<void> {
  const ecr = ctx.clients.ecr(region);
  const [list, scanning] = await Promise.all([
    ctx.calls.pages(
      { service: 'ecr', operation: 'DescribeRepositories', region },
      (nextToken, abortSignal) => ecr.send(new DescribeRepositoriesCommand({ nextToken, maxResults: 1000 }), { abortSignal }),
      (p: DescribeRepositoriesCommandOutput) => p.nextToken,
    ),
    ctx.calls.one({ service: 'ecr', operation: 'GetRegistryScanningConfiguration', region }, (abortSignal) =>
      ecr.send(new GetRegistryScanningConfigurationCommand({}), { abortSignal }),
    ),
  ]);
  if (!list.ok) return;
  const rules = scanning.ok ? (scanning.value?.scanningConfiguration?.rules ?? []) : [];
  await Promise.all(
    list.value.flatMap((p) => p.repositories ?? []).map(async (repo) => {
      const name = repo.repositoryName ?? '';
      const arn = repo.repositoryArn ?? `arn:${ctx.partition}:ecr:${region}:${ctx.account}:repository/${name}`;
      const r = await ctx.calls.one({ service: 'ecr', operation: 'GetRepositoryPolicy', region, resourceId: arn, absent: ['RepositoryPolicyNotFoundException'] }, (abortSignal) =>
        ecr.send(new GetRepositoryPolicyCommand({ repositoryName: name, registryId: repo.registryId }), { abortSignal }),
      );
      const d = new ResourceDraft(awsEcrRepository, {
        name,
        arn,
        scanOnPush: repo.imageScanningConfiguration?.scanOnPush === true,
        registryScanOnPush: registryScans(rules, name),
        imageTagMutability: repo.imageTagMutability ?? 'MUTABLE',
        encryptionType: repo.encryptionConfiguration?.encryptionType ?? null,
        kmsKey: repo.encryptionConfiguration?.kmsKey ?? null,
        policy: null,
      });
      d.from(scanning);
      if (d.from(r) && r.value) {
        const doc = decodePolicy(r.value.policyText);
        if (doc === undefined) d.lose('policy');
        else d.properties.policy = doc;
      }
      await ctx.emit(d.finish({ id: arn, account: ctx.account, region, name }));
    }),
  );
}
