/**
 * The known ways an IAM principal can raise its own permissions: action combinations first
 * catalogued by Rhino Security Labs (Spencer Gietzen, 2018), extended since by public research
 * (SSM, EC2 Instance Connect, SageMaker jobs, CloudFormation change sets, launch templates) and
 * used by Cloudsplaining, Prowler, pmapper and PACU. Each method needs every one of its actions
 * from the union of all the policies that reach the principal.
 *
 * What a method acts on decides how it is judged (`target`):
 * - on the principal itself — its own ARN, its own groups, the customer-managed policies attached
 *   to it: the method raises its own permissions to anything, so it escalates outright;
 * - on another principal whose permissions it then uses — a role it passes to a service, assumes
 *   or runs code as, a user whose credentials it takes over, a group it joins: it escalates only
 *   when such a principal exists in the snapshot and is more privileged (see iam-graph.ts);
 *   otherwise it is a "potential" escalation;
 * - on an existing resource trustscan does not collect (a Lambda function, a CloudFormation
 *   stack, a SageMaker notebook): always a "potential" escalation, since the snapshot cannot
 *   show whether such a resource runs with a more privileged role.
 */

export type PrincipalKind = 'user' | 'role';

export type TargetKind =
  /** The principal's own ARN (`iam:PutUserPolicy` on itself). */
  | 'self'
  /** A group the user belongs to. */
  | 'own-group'
  /** A customer-managed policy of the principal's account that is attached to it (or its groups). */
  | 'own-policy'
  /** Another user whose credentials it takes over. */
  | 'user'
  /** A group it adds itself to. */
  | 'group'
  /** A role it can assume (the trust policy lets it in). */
  | 'assume'
  /** A role it modifies and then assumes: it can give the role any permission. */
  | 'role-modify'
  /** A role whose trust policy it rewrites, then assumes. */
  | 'role-trust'
  /** A role the service `passedTo` can assume, passed with iam:PassRole. */
  | 'pass-role'
  /** The role of an EC2 instance (through its instance profile) it can run commands on. */
  | 'instance'
  /** An existing resource of a kind trustscan does not collect. */
  | 'uncollected';

export interface EscalationMethod {
  id: string;
  description: string;
  /** Every one of these is needed (spelled as AWS documents them; matched case-insensitively). */
  actions: string[];
  /** Whose privileges the method raises: a user (or a group's members) or a role. */
  kinds: PrincipalKind[];
  target: TargetKind;
  /** The action whose resource is the target (default: the first action). */
  on?: string;
  /** Service principal the role is passed to: `iam:PassedToService` conditions are evaluated against it. */
  passedTo?: string;
  /** The action attaches a managed policy: `iam:PolicyARN` conditions are evaluated against administrative policies. */
  attachesPolicy?: boolean;
  /** Applies only to a principal that has a permissions boundary. */
  needsBoundary?: boolean;
  /** For `uncollected` targets: what must exist (`a Lambda function that runs with a more privileged role`). */
  needs?: string;
}

const BOTH: PrincipalKind[] = ['user', 'role'];

function passRole(id: string, service: string, actions: string[], description: string): EscalationMethod {
  return { id, description, actions: ['iam:PassRole', ...actions], kinds: BOTH, target: 'pass-role', on: 'iam:PassRole', passedTo: `${service}.amazonaws.com` };
}

function existing(id: string, actions: string[], description: string, needs: string): EscalationMethod {
  return { id, description, actions, kinds: BOTH, target: 'uncollected', needs };
}

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  // On itself: escalate outright.
  { id: 'create-policy-version', description: 'create a new default version of a customer-managed policy attached to itself', actions: ['iam:CreatePolicyVersion'], kinds: BOTH, target: 'own-policy' },
  { id: 'set-default-policy-version', description: 'switch a customer-managed policy attached to itself to an older, broader version', actions: ['iam:SetDefaultPolicyVersion'], kinds: BOTH, target: 'own-policy' },
  { id: 'attach-user-policy', description: 'attach any managed policy (AdministratorAccess) to itself', actions: ['iam:AttachUserPolicy'], kinds: ['user'], target: 'self', attachesPolicy: true },
  { id: 'put-user-policy', description: 'write an inline policy on itself', actions: ['iam:PutUserPolicy'], kinds: ['user'], target: 'self' },
  { id: 'attach-group-policy', description: 'attach any managed policy to a group it belongs to', actions: ['iam:AttachGroupPolicy'], kinds: ['user'], target: 'own-group', attachesPolicy: true },
  { id: 'put-group-policy', description: 'write an inline policy on a group it belongs to', actions: ['iam:PutGroupPolicy'], kinds: ['user'], target: 'own-group' },
  { id: 'attach-role-policy', description: 'attach any managed policy to itself (a role)', actions: ['iam:AttachRolePolicy'], kinds: ['role'], target: 'self', attachesPolicy: true },
  { id: 'put-role-policy', description: 'write an inline policy on itself (a role)', actions: ['iam:PutRolePolicy'], kinds: ['role'], target: 'self' },
  { id: 'delete-user-permissions-boundary', description: 'remove its own permissions boundary', actions: ['iam:DeleteUserPermissionsBoundary'], kinds: ['user'], target: 'self', needsBoundary: true },
  { id: 'put-user-permissions-boundary', description: 'replace its own permissions boundary with a broader one', actions: ['iam:PutUserPermissionsBoundary'], kinds: ['user'], target: 'self', needsBoundary: true },
  { id: 'delete-role-permissions-boundary', description: 'remove its own permissions boundary', actions: ['iam:DeleteRolePermissionsBoundary'], kinds: ['role'], target: 'self', needsBoundary: true },
  { id: 'put-role-permissions-boundary', description: 'replace its own permissions boundary with a broader one', actions: ['iam:PutRolePermissionsBoundary'], kinds: ['role'], target: 'self', needsBoundary: true },

  // Through another principal: escalate when a more privileged one is in reach.
  { id: 'assume-role', description: 'assume a more privileged role whose trust policy lets it in', actions: ['sts:AssumeRole'], kinds: BOTH, target: 'assume' },
  { id: 'create-access-key', description: 'create access keys for a more privileged user', actions: ['iam:CreateAccessKey'], kinds: BOTH, target: 'user' },
  { id: 'create-login-profile', description: 'give a more privileged user a console password and sign in as them', actions: ['iam:CreateLoginProfile'], kinds: BOTH, target: 'user' },
  { id: 'update-login-profile', description: "change a more privileged user's console password", actions: ['iam:UpdateLoginProfile'], kinds: BOTH, target: 'user' },
  { id: 'add-user-to-group', description: 'add itself to a more privileged group', actions: ['iam:AddUserToGroup'], kinds: ['user'], target: 'group' },
  { id: 'attach-role-policy-and-assume', description: 'attach any managed policy to a role it can assume, then assume it', actions: ['iam:AttachRolePolicy', 'sts:AssumeRole'], kinds: BOTH, target: 'role-modify', attachesPolicy: true },
  { id: 'put-role-policy-and-assume', description: 'write an inline policy on a role it can assume, then assume it', actions: ['iam:PutRolePolicy', 'sts:AssumeRole'], kinds: BOTH, target: 'role-modify' },
  { id: 'update-assume-role-policy', description: "rewrite a more privileged role's trust policy, then assume it", actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], kinds: BOTH, target: 'role-trust' },
  passRole('pass-role-ec2', 'ec2', ['ec2:RunInstances'], 'launch an EC2 instance with a more privileged instance profile and use its credentials'),
  passRole('pass-role-ec2-spot', 'ec2', ['ec2:RequestSpotInstances'], 'request a Spot instance with a more privileged instance profile and use its credentials'),
  passRole('pass-role-ec2-launch-template', 'ec2', ['ec2:CreateLaunchTemplate', 'ec2:RunInstances'], 'create a launch template with a more privileged instance profile and launch from it'),
  passRole('pass-role-autoscaling', 'ec2', ['autoscaling:CreateLaunchConfiguration', 'autoscaling:CreateAutoScalingGroup'], 'create an Auto Scaling group whose instances run with a more privileged instance profile'),
  passRole('pass-role-lambda-invoke', 'lambda', ['lambda:CreateFunction', 'lambda:InvokeFunction'], 'create a Lambda function with a more privileged role and invoke it'),
  passRole('pass-role-lambda-event-source', 'lambda', ['lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], 'create a Lambda function with a more privileged role and trigger it from an event source'),
  passRole('pass-role-glue-dev-endpoint', 'glue', ['glue:CreateDevEndpoint'], 'create a Glue development endpoint with a more privileged role and log in to it'),
  passRole('pass-role-glue-job', 'glue', ['glue:CreateJob', 'glue:StartJobRun'], 'create and run a Glue job with a more privileged role'),
  passRole('pass-role-cloudformation', 'cloudformation', ['cloudformation:CreateStack'], 'create a CloudFormation stack that runs with a more privileged role'),
  passRole('pass-role-cloudformation-change-set', 'cloudformation', ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], 'create and execute a CloudFormation change set (a new stack) that runs with a more privileged role'),
  passRole('pass-role-data-pipeline', 'datapipeline', ['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], 'create a Data Pipeline that runs commands with a more privileged role'),
  passRole('pass-role-codebuild', 'codebuild', ['codebuild:CreateProject', 'codebuild:StartBuild'], 'create and start a CodeBuild project that runs with a more privileged role'),
  passRole('pass-role-sagemaker-notebook', 'sagemaker', ['sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], 'create a SageMaker notebook with a more privileged role and open it'),
  passRole('pass-role-sagemaker-training-job', 'sagemaker', ['sagemaker:CreateTrainingJob'], 'run a SageMaker training job (its own container) with a more privileged role'),
  passRole('pass-role-sagemaker-processing-job', 'sagemaker', ['sagemaker:CreateProcessingJob'], 'run a SageMaker processing job (its own container) with a more privileged role'),
  passRole('pass-role-ecs-task', 'ecs-tasks', ['ecs:RegisterTaskDefinition', 'ecs:RunTask'], 'run an ECS task whose task role is more privileged'),
  { id: 'ssm-send-command', description: 'run commands through SSM on an EC2 instance whose role is more privileged', actions: ['ssm:SendCommand'], kinds: BOTH, target: 'instance' },
  { id: 'ssm-start-session', description: 'open an SSM session on an EC2 instance whose role is more privileged', actions: ['ssm:StartSession'], kinds: BOTH, target: 'instance' },
  { id: 'ec2-instance-connect', description: 'push an SSH key with EC2 Instance Connect to an instance whose role is more privileged and log in (needs network reach)', actions: ['ec2-instance-connect:SendSSHPublicKey'], kinds: BOTH, target: 'instance' },
  { id: 'ec2-serial-console', description: "push an SSH key to the serial console of an instance whose role is more privileged", actions: ['ec2-instance-connect:SendSerialConsoleSSHPublicKey'], kinds: BOTH, target: 'instance' },
  { id: 'ec2-user-data', description: 'replace the user data of an instance whose role is more privileged and restart it', actions: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'], kinds: BOTH, target: 'instance' },

  // On existing resources trustscan does not collect: potential only.
  existing('lambda-update-function-code', ['lambda:UpdateFunctionCode'], 'replace the code of an existing Lambda function', 'a Lambda function that runs with a more privileged role'),
  existing('glue-update-dev-endpoint', ['glue:UpdateDevEndpoint'], 'add its SSH key to an existing Glue development endpoint', 'a Glue development endpoint that runs with a more privileged role'),
  existing('cloudformation-update-stack', ['cloudformation:UpdateStack'], 'update an existing CloudFormation stack so its service role creates what it asks', 'a CloudFormation stack with a more privileged service role'),
  existing('cloudformation-update-stack-pass-role', ['iam:PassRole', 'cloudformation:UpdateStack'], 'update an existing CloudFormation stack, passing it a more privileged role', 'a CloudFormation stack to update'),
  existing('cloudformation-change-set', ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'], 'execute a change set on an existing CloudFormation stack so its service role creates what it asks', 'a CloudFormation stack with a more privileged service role'),
  existing('sagemaker-presigned-notebook-url', ['sagemaker:CreatePresignedNotebookInstanceUrl'], 'open an existing SageMaker notebook and run code with its role', 'a SageMaker notebook instance with a more privileged role'),
  existing('ec2-launch-template-version', ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'], 'make a new default version of an existing launch template (user data, instance profile) used by Auto Scaling', 'a launch template whose instances run with a more privileged role'),
];

/** The methods that apply to a principal of `kind` (a managed policy or group on its own: `any`). */
export function methodsFor(kind: PrincipalKind | 'any', hasBoundary: boolean): EscalationMethod[] {
  return ESCALATION_METHODS.filter((m) => {
    if (m.needsBoundary && (kind === 'any' || !hasBoundary)) return false;
    return kind === 'any' || m.kinds.includes(kind);
  });
}

/** The action whose resource is the method's target. */
export function targetAction(m: EscalationMethod): string {
  return m.on ?? m.actions[0];
}
