import { ResourceDraft } from '../../../collect/resource-draft';
import type { Resource } from '../../../core/types';
import { awsAccount } from '../types/account';

export interface RootMfaDevice {
  /** Whether a virtual MFA device is assigned to the root user; undefined when the listing failed. */
  virtual: boolean | undefined;
}

/**
 * The `aws.account` resource, filled in by IAM (summary, password policy, alias, credential
 * report root row, virtual MFA), S3 Control, EC2 (regions) and Organizations. Every property
 * starts unknown and becomes known only when the call behind it succeeded.
 */
export class AccountDraft {
  private readonly draft: ResourceDraft;
  private rootVirtual: boolean | undefined;
  name: string | undefined;

  constructor(readonly accountId: string, readonly partition: string) {
    this.draft = new ResourceDraft(awsAccount, {
      accountId,
      alias: null,
      partition,
      organizationId: null,
      organizationManagementAccount: null,
      organizationAccounts: null,
      passwordPolicy: null,
      root: { mfaEnabled: null, virtualMfa: null, accessKeysPresent: null, accessKeys: null, passwordLastUsed: null, signingCertificatesActive: null },
      s3PublicAccessBlock: null,
      enabledRegions: null,
    });
    this.draft.unknownUntilRead();
  }

  /** Records a value that was read. */
  set(path: string, value: unknown): void {
    this.draft.unknown.delete(path);
    const segs = path.split('.');
    let o = this.draft.properties;
    for (const s of segs.slice(0, -1)) o = o[s] as Record<string, unknown>;
    o[segs[segs.length - 1]] = value;
  }

  rootVirtualMfa(virtual: boolean | undefined): void {
    this.rootVirtual = virtual;
  }

  toResource(): Resource {
    // Hardware vs virtual root MFA needs both the summary (is MFA on) and the virtual device list.
    const root = this.draft.properties.root as Record<string, unknown>;
    const mfaKnown = !this.draft.unknown.has('root.mfaEnabled');
    if (this.rootVirtual === true) this.set('root.virtualMfa', true);
    else if (mfaKnown && root.mfaEnabled === false) this.set('root.virtualMfa', null);
    else if (mfaKnown && this.rootVirtual === false) this.set('root.virtualMfa', false);
    const alias = this.draft.properties.alias;
    const name = typeof alias === 'string' ? alias : this.name;
    return this.draft.finish({
      id: `arn:${this.partition}:iam::${this.accountId}:root`,
      account: this.accountId,
      region: 'global',
      ...(name ? { name } : {}),
    });
  }
}
