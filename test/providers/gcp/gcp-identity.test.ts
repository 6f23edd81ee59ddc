import { Compute, ExternalAccountClient, JWT, UserRefreshClient } from 'google-auth-library';
import { gcpIdentity } from '../../../src/providers/gcp/collector/identity';

/**
 * Who a Google Cloud scan runs as, read from google-auth-library's own client objects (built
 * here without a network call): what each kind of credential can name without another request.
 */
describe('Google Cloud scanning identity', () => {
  it('a service account key names its account', () => {
    expect(gcpIdentity(new JWT({ email: 'scanner@acme-security.iam.gserviceaccount.com', key: 'unused' }), {})).toEqual({ principal: 'scanner@acme-security.iam.gserviceaccount.com' });
  });

  it('impersonation names the target, and how it is reached', () => {
    const source = new JWT({ email: 'ci@acme-ci.iam.gserviceaccount.com', key: 'unused' });
    expect(gcpIdentity({ sourceClient: source }, { impersonate: 'trustscan@acme-security.iam.gserviceaccount.com' })).toEqual({
      principal: 'trustscan@acme-security.iam.gserviceaccount.com',
      via: 'impersonated by ci@acme-ci.iam.gserviceaccount.com',
    });
  });

  it('workload identity federation names the service account it impersonates, else its audience', () => {
    const base = { type: 'external_account', subject_token_type: 'urn:ietf:params:oauth:token-type:jwt', token_url: 'https://sts.googleapis.com/v1/token', credential_source: { file: '/dev/null' } };
    const audience = '//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/ci/providers/github';
    const withSa = ExternalAccountClient.fromJSON({ ...base, audience, service_account_impersonation_url: 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/trustscan@acme-security.iam.gserviceaccount.com:generateAccessToken' } as never);
    expect(gcpIdentity(withSa, {})).toEqual({ principal: 'trustscan@acme-security.iam.gserviceaccount.com (through workload identity federation)' });
    const direct = ExternalAccountClient.fromJSON({ ...base, audience } as never);
    expect(gcpIdentity(direct, {})).toEqual({ principal: `a workload identity federation principal of ${audience}` });
  });

  it('user credentials, the metadata server and a bare token say what they are instead of guessing a name', () => {
    expect(gcpIdentity(new UserRefreshClient(), {}).principal).toBe('gcloud user credentials (they do not name the user)');
    expect(gcpIdentity(new Compute(), {}).principal).toBe("the metadata server's service account");
    expect(gcpIdentity(new JWT({ key: 'unused' }), { accessToken: 'ya29.secret' }).principal).not.toContain('ya29');
  });
});
