import { FakeError, type Handler } from '../server';

/** Amazon Macie over REST-JSON: `GET /macie` is GetMacieSession; never enabled is an AccessDeniedException saying so. */
export const macieHandlers: Record<string, Handler> = {
  GetMacieSession(ctx) {
    const m = ctx.account.regions.find((r) => r.name === ctx.region)?.macie;
    if (!m) throw new FakeError('AccessDeniedException', 403, 'Macie is not enabled.');
    return { status: m.status, findingPublishingFrequency: 'FIFTEEN_MINUTES', serviceRole: `arn:aws:iam::${ctx.accountId}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`, createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z' };
  },
};
