/**
 * The events each CIS AWS Foundations v3.0.0 monitoring recommendation (4.1–4.15) asks a metric
 * filter to catch, as sample CloudTrail records. A filter catches the class when it matches every
 * sample: the fields that define the class are fixed, and the ones that do not (who called,
 * from where, in which region, through which client) vary across samples, so a filter that
 * narrows on them misses some. A filter may catch more than the class (a superset is fine).
 *
 * Event names follow the benchmark's own filter patterns. Fields CIS's patterns exclude on
 * purpose (the delivery.logs service's AccessDenied, HeadBucket) are never sampled.
 */

export interface EventClass {
  /** Fact name: `facts.<name>` on aws.account. */
  fact: string;
  cis: string;
  /** What is monitored, in words ("root account usage"). */
  what: string;
  samples: Record<string, unknown>[];
}

type Caller = { userIdentity: Record<string, unknown>; sourceIPAddress: string; userAgent: string; awsRegion: string };

const ACCOUNT = '123456789012';

/** Callers that do not define any class: each class's samples are made once per caller. */
const CALLERS: Caller[] = [
  {
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: 'AKIAEXAMPLE', userName: 'alice' },
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0',
    awsRegion: 'us-east-1',
  },
  {
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:bob',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/bob`,
      accountId: ACCOUNT,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/admin`, userName: 'admin' }, attributes: { mfaAuthenticated: 'true' } },
    },
    sourceIPAddress: '203.0.113.40',
    userAgent: 'console.amazonaws.com',
    awsRegion: 'eu-west-1',
  },
];

function record(caller: Caller, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: caller.userIdentity,
    eventTime: '2026-01-01T00:00:00Z',
    awsRegion: caller.awsRegion,
    sourceIPAddress: caller.sourceIPAddress,
    userAgent: caller.userAgent,
    requestParameters: {},
    responseElements: null,
    requestID: '00000000-0000-0000-0000-000000000000',
    eventID: '00000000-0000-0000-0000-000000000001',
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    ...fields,
  };
}

/** One sample per caller and per event name of `source`. */
function calls(source: string, names: string[], extra: Record<string, unknown> = {}): Record<string, unknown>[] {
  return CALLERS.flatMap((c) => names.map((eventName) => record(c, { eventSource: source, eventName, ...extra })));
}

const ROOT: Caller = {
  userIdentity: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT },
  sourceIPAddress: '198.51.100.9',
  userAgent: 'console.amazonaws.com',
  awsRegion: 'us-east-1',
};

function consoleLogin(caller: Caller, fields: Record<string, unknown>): Record<string, unknown> {
  return record(caller, { eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', readOnly: false, ...fields });
}

const IAM_USERS = CALLERS.filter((c) => c.userIdentity.type === 'IAMUser');

export const CIS_EVENT_CLASSES: EventClass[] = [
  {
    fact: 'monitorsUnauthorizedApiCalls',
    cis: '4.1',
    what: 'unauthorized API calls',
    samples: [
      ...calls('ec2.amazonaws.com', ['DescribeInstances', 'RunInstances'], { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }),
      ...calls('ec2.amazonaws.com', ['TerminateInstances'], { errorCode: 'UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' }),
      ...calls('iam.amazonaws.com', ['ListUsers', 'CreateUser'], { errorCode: 'AccessDenied', errorMessage: 'User is not authorized to perform iam:ListUsers' }),
      ...calls('kms.amazonaws.com', ['Decrypt'], { errorCode: 'AccessDeniedException', errorMessage: 'not authorized' }),
      ...calls('s3.amazonaws.com', ['GetObject'], { errorCode: 'AccessDenied', errorMessage: 'Access Denied' }),
    ],
  },
  {
    fact: 'monitorsConsoleSigninWithoutMfa',
    cis: '4.2',
    what: 'management console sign-in without MFA',
    samples: IAM_USERS.map((c) =>
      consoleLogin(c, { additionalEventData: { LoginTo: 'https://console.aws.amazon.com/console/home', MobileVersion: 'No', MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } }),
    ),
  },
  {
    fact: 'monitorsRootUsage',
    cis: '4.3',
    what: "use of the 'root' user",
    samples: [
      consoleLogin(ROOT, { additionalEventData: { MFAUsed: 'Yes' }, responseElements: { ConsoleLogin: 'Success' } }),
      record(ROOT, { eventSource: 'iam.amazonaws.com', eventName: 'CreateAccessKey' }),
      record(ROOT, { eventSource: 'ec2.amazonaws.com', eventName: 'DescribeInstances', readOnly: true, awsRegion: 'eu-west-1' }),
      record(ROOT, { eventSource: 'billing.amazonaws.com', eventName: 'GetBillingPreferences', readOnly: true, eventType: 'AwsConsoleAction' }),
    ],
  },
  {
    fact: 'monitorsIamPolicyChanges',
    cis: '4.4',
    what: 'IAM policy changes',
    samples: calls('iam.amazonaws.com', [
      'DeleteGroupPolicy',
      'DeleteRolePolicy',
      'DeleteUserPolicy',
      'PutGroupPolicy',
      'PutRolePolicy',
      'PutUserPolicy',
      'CreatePolicy',
      'DeletePolicy',
      'CreatePolicyVersion',
      'DeletePolicyVersion',
      'AttachRolePolicy',
      'DetachRolePolicy',
      'AttachUserPolicy',
      'DetachUserPolicy',
      'AttachGroupPolicy',
      'DetachGroupPolicy',
    ]),
  },
  {
    fact: 'monitorsCloudTrailChanges',
    cis: '4.5',
    what: 'CloudTrail configuration changes',
    samples: calls('cloudtrail.amazonaws.com', ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging']),
  },
  {
    fact: 'monitorsConsoleAuthFailures',
    cis: '4.6',
    what: 'management console authentication failures',
    samples: CALLERS.map((c) =>
      consoleLogin(
        { ...c, userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE', accountId: ACCOUNT, userName: 'alice' } },
        { errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' }, additionalEventData: { MFAUsed: 'No' } },
      ),
    ),
  },
  {
    fact: 'monitorsKmsKeyDisableOrDeletion',
    cis: '4.7',
    what: 'disabling or scheduled deletion of customer-managed KMS keys',
    samples: calls('kms.amazonaws.com', ['DisableKey', 'ScheduleKeyDeletion']),
  },
  {
    fact: 'monitorsS3BucketPolicyChanges',
    cis: '4.8',
    what: 'S3 bucket policy changes',
    samples: calls('s3.amazonaws.com', [
      'PutBucketAcl',
      'PutBucketPolicy',
      'PutBucketCors',
      'PutBucketLifecycle',
      'PutBucketReplication',
      'DeleteBucketPolicy',
      'DeleteBucketCors',
      'DeleteBucketLifecycle',
      'DeleteBucketReplication',
    ]),
  },
  {
    fact: 'monitorsConfigChanges',
    cis: '4.9',
    what: 'AWS Config configuration changes',
    samples: calls('config.amazonaws.com', ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder']),
  },
  {
    fact: 'monitorsSecurityGroupChanges',
    cis: '4.10',
    what: 'security group changes',
    samples: calls('ec2.amazonaws.com', [
      'AuthorizeSecurityGroupIngress',
      'AuthorizeSecurityGroupEgress',
      'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress',
      'CreateSecurityGroup',
      'DeleteSecurityGroup',
    ]),
  },
  {
    fact: 'monitorsNetworkAclChanges',
    cis: '4.11',
    what: 'network ACL changes',
    samples: calls('ec2.amazonaws.com', ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation']),
  },
  {
    fact: 'monitorsNetworkGatewayChanges',
    cis: '4.12',
    what: 'network gateway changes',
    samples: calls('ec2.amazonaws.com', ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway']),
  },
  {
    fact: 'monitorsRouteTableChanges',
    cis: '4.13',
    what: 'route table changes',
    samples: calls('ec2.amazonaws.com', ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable']),
  },
  {
    fact: 'monitorsVpcChanges',
    cis: '4.14',
    what: 'VPC changes',
    samples: calls('ec2.amazonaws.com', [
      'CreateVpc',
      'DeleteVpc',
      'ModifyVpcAttribute',
      'AcceptVpcPeeringConnection',
      'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection',
      'RejectVpcPeeringConnection',
      'AttachClassicLinkVpc',
      'DetachClassicLinkVpc',
      'DisableVpcClassicLink',
      'EnableVpcClassicLink',
    ]),
  },
  {
    fact: 'monitorsOrganizationsChanges',
    cis: '4.15',
    what: 'AWS Organizations changes',
    samples: calls('organizations.amazonaws.com', [
      'AcceptHandshake',
      'AttachPolicy',
      'CreateAccount',
      'CreateOrganizationalUnit',
      'CreatePolicy',
      'DeclineHandshake',
      'DeleteOrganization',
      'DeleteOrganizationalUnit',
      'DeletePolicy',
      'DetachPolicy',
      'DisablePolicyType',
      'EnablePolicyType',
      'InviteAccountToOrganization',
      'LeaveOrganization',
      'MoveAccount',
      'RemoveAccountFromOrganization',
      'UpdatePolicy',
      'UpdateOrganizationalUnit',
    ]),
  },
];
