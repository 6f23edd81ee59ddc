/**
 * The known ways an IAM principal can raise its own permissions: action combinations first
 * catalogued by Rhino Security Labs (Spencer Gietzen, 2018) and since used by Cloudsplaining,
 * Prowler, pmapper and PACU. Each method needs every one of its actions, on some resource, from
 * the union of all the policies that reach the principal.
 */

export type PrincipalKind = 'user' | 'role';

export interface EscalationMethod {
  id: string;
  description: string;
  /** Every one of these is needed (spelled as AWS documents them; matched case-insensitively). */
  actions: string[];
  /** Whose privileges the method raises: a user (or a group's members) or a role. */
  kinds: PrincipalKind[];
  /** Actions that must work on a principal other than the caller (grants on `${aws:username}` do not count). */
  onOthers?: string[];
  /** Service principal the role is passed to: `iam:PassedToService` conditions are evaluated against it. */
  passedTo?: string;
  /** Applies only to a principal that has a permissions boundary. */
  needsBoundary?: boolean;
}

const BOTH: PrincipalKind[] = ['user', 'role'];

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  { id: 'create-policy-version', description: 'create a new default version of a managed policy attached to itself', actions: ['iam:CreatePolicyVersion'], kinds: BOTH },
  { id: 'set-default-policy-version', description: 'switch a managed policy to an older, broader version', actions: ['iam:SetDefaultPolicyVersion'], kinds: BOTH },
  { id: 'create-access-key', description: 'create access keys for another (more privileged) user', actions: ['iam:CreateAccessKey'], kinds: BOTH, onOthers: ['iam:CreateAccessKey'] },
  { id: 'create-login-profile', description: 'give another user a console password and sign in as them', actions: ['iam:CreateLoginProfile'], kinds: BOTH, onOthers: ['iam:CreateLoginProfile'] },
  { id: 'update-login-profile', description: "change another user's console password", actions: ['iam:UpdateLoginProfile'], kinds: BOTH, onOthers: ['iam:UpdateLoginProfile'] },
  { id: 'attach-user-policy', description: 'attach any managed policy (AdministratorAccess) to itself', actions: ['iam:AttachUserPolicy'], kinds: ['user'] },
  { id: 'put-user-policy', description: 'write an inline policy on itself', actions: ['iam:PutUserPolicy'], kinds: ['user'] },
  { id: 'attach-group-policy', description: 'attach any managed policy to a group it belongs to', actions: ['iam:AttachGroupPolicy'], kinds: ['user'] },
  { id: 'put-group-policy', description: 'write an inline policy on a group it belongs to', actions: ['iam:PutGroupPolicy'], kinds: ['user'] },
  { id: 'add-user-to-group', description: 'add itself to a more privileged group', actions: ['iam:AddUserToGroup'], kinds: ['user'] },
  { id: 'attach-role-policy', description: 'attach any managed policy to itself (a role)', actions: ['iam:AttachRolePolicy'], kinds: ['role'] },
  { id: 'put-role-policy', description: 'write an inline policy on itself (a role)', actions: ['iam:PutRolePolicy'], kinds: ['role'] },
  { id: 'attach-role-policy-and-assume', description: 'attach any managed policy to a role, then assume it', actions: ['iam:AttachRolePolicy', 'sts:AssumeRole'], kinds: ['user'] },
  { id: 'put-role-policy-and-assume', description: 'write an inline policy on a role, then assume it', actions: ['iam:PutRolePolicy', 'sts:AssumeRole'], kinds: ['user'] },
  { id: 'update-assume-role-policy', description: "rewrite a privileged role's trust policy, then assume it", actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], kinds: BOTH },
  { id: 'delete-user-permissions-boundary', description: 'remove its own permissions boundary', actions: ['iam:DeleteUserPermissionsBoundary'], kinds: ['user'], needsBoundary: true },
  { id: 'put-user-permissions-boundary', description: 'replace its own permissions boundary with a broader one', actions: ['iam:PutUserPermissionsBoundary'], kinds: ['user'], needsBoundary: true },
  { id: 'delete-role-permissions-boundary', description: 'remove its own permissions boundary', actions: ['iam:DeleteRolePermissionsBoundary'], kinds: ['role'], needsBoundary: true },
  { id: 'put-role-permissions-boundary', description: 'replace its own permissions boundary with a broader one', actions: ['iam:PutRolePermissionsBoundary'], kinds: ['role'], needsBoundary: true },
  { id: 'pass-role-ec2', description: 'launch an EC2 instance with a privileged instance profile and use its credentials', actions: ['iam:PassRole', 'ec2:RunInstances'], kinds: BOTH, passedTo: 'ec2.amazonaws.com' },
  { id: 'pass-role-lambda-invoke', description: 'create a Lambda function with a privileged role and invoke it', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], kinds: BOTH, passedTo: 'lambda.amazonaws.com' },
  { id: 'pass-role-lambda-event-source', description: 'create a Lambda function with a privileged role and trigger it from an event source', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], kinds: BOTH, passedTo: 'lambda.amazonaws.com' },
  { id: 'lambda-update-function-code', description: 'replace the code of a function that runs with a privileged role', actions: ['lambda:UpdateFunctionCode'], kinds: BOTH },
  { id: 'pass-role-glue-dev-endpoint', description: 'create a Glue development endpoint with a privileged role and log in to it', actions: ['iam:PassRole', 'glue:CreateDevEndpoint'], kinds: BOTH, passedTo: 'glue.amazonaws.com' },
  { id: 'glue-update-dev-endpoint', description: 'add its SSH key to a Glue development endpoint that runs with a privileged role', actions: ['glue:UpdateDevEndpoint'], kinds: BOTH },
  { id: 'pass-role-cloudformation', description: 'create a CloudFormation stack that runs with a privileged role', actions: ['iam:PassRole', 'cloudformation:CreateStack'], kinds: BOTH, passedTo: 'cloudformation.amazonaws.com' },
  { id: 'pass-role-data-pipeline', description: 'create a Data Pipeline that runs commands with a privileged role', actions: ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], kinds: BOTH, passedTo: 'datapipeline.amazonaws.com' },
  { id: 'pass-role-codebuild', description: 'create and start a CodeBuild project that runs with a privileged role', actions: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], kinds: BOTH, passedTo: 'codebuild.amazonaws.com' },
  { id: 'pass-role-sagemaker-notebook', description: 'create a SageMaker notebook with a privileged role and open it', actions: ['iam:PassRole', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], kinds: BOTH, passedTo: 'sagemaker.amazonaws.com' },
];

/** The methods that apply to a principal of `kind` (a managed policy on its own: `any`). */
export function methodsFor(kind: PrincipalKind | 'any', hasBoundary: boolean): EscalationMethod[] {
  return ESCALATION_METHODS.filter((m) => {
    if (m.needsBoundary && (kind === 'any' || !hasBoundary)) return false;
    if (kind !== 'any') return m.kinds.includes(kind);
    // A managed policy may be attached to users and roles alike: a method counts if one of its
    // variants does (attach-role-policy alone covers attach-role-policy-and-assume).
    return !(m.id === 'attach-role-policy-and-assume' || m.id === 'put-role-policy-and-assume');
  });
}
