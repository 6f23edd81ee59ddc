import { FakeError, type Handler, page } from '../server';

/** ECR over JSON 1.1: private repositories of the region, the registry's scanning rules, repository policies. */

const region = (ctx: Parameters<Handler>[0]) => ctx.account.regions.find((r) => r.name === ctx.region);

export const ecrHandlers: Record<string, Handler> = {
  DescribeRepositories(ctx) {
    const repos = (region(ctx)?.ecrRepositories ?? []).map((r) => ({
      repositoryArn: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${r.name}`,
      registryId: ctx.accountId,
      repositoryName: r.name,
      repositoryUri: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${r.name}`,
      createdAt: 1_700_000_000,
      imageTagMutability: r.imageTagMutability ?? 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: r.scanOnPush ?? false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    }));
    const { items, next } = page(repos, ctx.json.nextToken, ctx.fake.pageSize('ecr:DescribeRepositories', ctx.json.maxResults, 1000));
    return { repositories: items, ...(next ? { nextToken: next } : {}) };
  },
  GetRegistryScanningConfiguration(ctx) {
    const rules = region(ctx)?.ecrScanningRules ?? [];
    return {
      registryId: ctx.accountId,
      scanningConfiguration: { scanType: 'BASIC', rules: rules.map((r) => ({ scanFrequency: r.scanFrequency, repositoryFilters: r.filters.map((f) => ({ filter: f, filterType: 'WILDCARD' })) })) },
    };
  },
  GetRepositoryPolicy(ctx) {
    const name = String(ctx.json.repositoryName ?? '');
    ctx.resource = name;
    const r = (region(ctx)?.ecrRepositories ?? []).find((x) => x.name === name);
    if (!r) throw new FakeError('RepositoryNotFoundException', 400, `The repository with name '${name}' does not exist`);
    if (!r.policy) throw new FakeError('RepositoryPolicyNotFoundException', 400, 'Repository policy does not exist for the repository');
    return { registryId: ctx.accountId, repositoryName: name, policyText: JSON.stringify(r.policy) };
  },
};
