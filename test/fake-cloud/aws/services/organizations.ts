import { FakeError, type Handler, page } from '../server';

/** Organizations over JSON 1.1: the account list (management or delegated administrator only). */
export const organizationsHandlers: Record<string, Handler> = {
  DescribeOrganization(ctx) {
    const org = ctx.fake.scenario.organization;
    if (!org) throw new FakeError('AWSOrganizationsNotInUseException', 400, 'Your account is not a member of an organization.');
    return {
      Organization: {
        Id: org.id,
        Arn: `arn:aws:organizations::${org.managementAccount}:organization/${org.id}`,
        FeatureSet: 'ALL',
        MasterAccountId: org.managementAccount,
        MasterAccountArn: `arn:aws:organizations::${org.managementAccount}:account/${org.id}/${org.managementAccount}`,
      },
    };
  },

  ListAccounts(ctx) {
    const org = ctx.fake.scenario.organization;
    if (!org) throw new FakeError('AWSOrganizationsNotInUseException', 400, 'Your account is not a member of an organization.');
    if (ctx.accountId !== org.managementAccount && !(org.delegatedAdministrators ?? []).includes(ctx.accountId)) {
      throw new FakeError('AccessDeniedException', 400, 'You don’t have permissions to access this resource.');
    }
    const accounts = ctx.fake.scenario.accounts.map((a) => ({
      Id: a.id,
      Arn: `arn:aws:organizations::${org.managementAccount}:account/${org.id}/${a.id}`,
      Email: a.email ?? `${a.id}@example.com`,
      Name: a.name,
      Status: a.status ?? 'ACTIVE',
      JoinedMethod: a.id === org.managementAccount ? 'CREATED' : 'INVITED',
      JoinedTimestamp: 1_600_000_000,
    }));
    const { items, next } = page(accounts, ctx.json.NextToken, ctx.fake.pageSize('organizations:ListAccounts', ctx.json.MaxResults, 20));
    return { Accounts: items, ...(next ? { NextToken: next } : {}) };
  },
};
