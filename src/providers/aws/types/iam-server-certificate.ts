import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { dateTime, obj, str } from '../../../core/resource-types/schema-helpers';

/** `aws.iam.server-certificate` — an SSL/TLS certificate stored in IAM. Id: its ARN; region `global`. */
export const awsIamServerCertificate: ResourceTypeDef = {
  type: 'aws.iam.server-certificate',
  provider: 'aws',
  description: 'A server certificate uploaded to IAM (ListServerCertificates).',
  scope: 'global',
  properties: obj({
    serverCertificateName: str(),
    serverCertificateId: str(),
    arn: str(),
    path: str(),
    uploadDate: dateTime(),
    expiration: dateTime(),
  }),
  operations: [{ op: 'iam:ListServerCertificates', lists: true }],
  runtimeOnly: ['serverCertificateId', 'uploadDate'],
};
