import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { dateTime, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';
import { resourcePolicy } from './iam-policy';

const protection = strEnum(['SOFTWARE', 'HSM', 'EXTERNAL', 'EXTERNAL_VPC', 'PROTECTION_LEVEL_UNSPECIFIED']);

/**
 * `gcp.kms.crypto-key`. Id: `//cloudkms.googleapis.com/projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`;
 * region `global` (Cloud KMS has a location named global; the key's location is a property). Carries its key ring's IAM policy too (inherited by the key).
 */
export const gcpKmsCryptoKey: ResourceTypeDef = {
  type: 'gcp.kms.crypto-key',
  provider: 'gcp',
  description: 'A Cloud KMS key with its rotation, primary version and IAM policies (its own and its key ring\'s).',
  scope: 'global',
  properties: obj({
    name: str('full name: projects/…/locations/…/keyRings/…/cryptoKeys/…'),
    keyRing: str('projects/…/locations/…/keyRings/…'),
    location: str('global, europe-west1, …'),
    purpose: strEnum(['ENCRYPT_DECRYPT', 'ASYMMETRIC_SIGN', 'ASYMMETRIC_DECRYPT', 'RAW_ENCRYPT_DECRYPT', 'MAC', 'CRYPTO_KEY_PURPOSE_UNSPECIFIED']),
    rotationPeriodSeconds: nullable(int(), 'automatic rotation period; null when the key does not rotate'),
    nextRotationTime: nullable(dateTime()),
    primary: nullable(obj({ state: str('ENABLED, DISABLED, DESTROYED, …'), protectionLevel: protection }), 'primary version; null for asymmetric keys'),
    protectionLevel: protection,
    iamPolicy: resourcePolicy("the key's own IAM policy"),
    keyRingIamPolicy: resourcePolicy("the key ring's IAM policy, inherited by its keys"),
  }),
  operations: [
    { op: 'cloudkms:ListLocations', lists: true },
    { op: 'cloudkms:ListKeyRings', lists: true },
    { op: 'cloudkms:ListCryptoKeys', lists: true },
    { op: 'cloudkms:GetKeyRingIamPolicy', paths: ['keyRingIamPolicy'] },
    { op: 'cloudkms:GetCryptoKeyIamPolicy', paths: ['iamPolicy'] },
  ],
  runtimeOnly: ['nextRotationTime', 'primary'],
};
