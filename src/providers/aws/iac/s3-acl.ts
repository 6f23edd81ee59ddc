/** S3 ACL helpers shared by the Terraform and CloudFormation mappings. */

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

export interface Grant {
  granteeType: 'CanonicalUser' | 'Group' | 'AmazonCustomerByEmail';
  granteeId: string | null;
  granteeUri: string | null;
  permission: 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
}

/** The owner's grant; its canonical id is assigned at deploy, so it is null here. */
const OWNER: Grant = { granteeType: 'CanonicalUser', granteeId: null, granteeUri: null, permission: 'FULL_CONTROL' };
const group = (uri: string, permission: Grant['permission']): Grant => ({ granteeType: 'Group', granteeId: null, granteeUri: uri, permission });

/**
 * Bucket grants of a canned ACL, as GetBucketAcl would return them (S3 "Canned ACL" table).
 * `bucket-owner-*` and `aws-exec-read` add nothing public at bucket level. Undefined when unknown.
 */
export function cannedAclGrants(acl: string): Grant[] | undefined {
  switch (acl.toLowerCase().replace(/_/g, '-')) {
    case 'private':
    case 'bucket-owner-read':
    case 'bucket-owner-full-control':
    case 'aws-exec-read':
      return [OWNER];
    case 'public-read':
      return [OWNER, group(ALL_USERS, 'READ')];
    case 'public-read-write':
      return [OWNER, group(ALL_USERS, 'READ'), group(ALL_USERS, 'WRITE')];
    case 'authenticated-read':
      return [OWNER, group(AUTHENTICATED_USERS, 'READ')];
    case 'log-delivery-write':
      return [OWNER, group(LOG_DELIVERY, 'WRITE'), group(LOG_DELIVERY, 'READ_ACP')];
    default:
      return undefined;
  }
}

export const PERMISSIONS = ['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP'];
