import { FakeError, type Handler } from '../server';
import { el } from '../xml';

/** S3 Control over REST/XML: the account-level Block Public Access (`x-amz-account-id` names the account). */
export const s3controlHandlers: Record<string, Handler> = {
  GetPublicAccessBlock(ctx) {
    if (ctx.headers['x-amz-account-id'] !== ctx.accountId) throw new FakeError('AccessDenied', 403, 'x-amz-account-id does not match the caller');
    const p = ctx.account.s3?.publicAccessBlock;
    if (!p) throw new FakeError('NoSuchPublicAccessBlockConfiguration', 404, 'The public access block configuration was not found');
    return {
      headers: { 'content-type': 'application/xml' },
      body:
        `<?xml version="1.0" encoding="UTF-8"?><PublicAccessBlockConfiguration xmlns="http://awss3control.amazonaws.com/doc/2018-08-20/">` +
        el('BlockPublicAcls', p.blockPublicAcls) + el('IgnorePublicAcls', p.ignorePublicAcls) + el('BlockPublicPolicy', p.blockPublicPolicy) +
        el('RestrictPublicBuckets', p.restrictPublicBuckets) + '</PublicAccessBlockConfiguration>',
    };
  },
};
