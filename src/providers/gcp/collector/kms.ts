import { ResourceDraft } from '../../../collect/resource-draft';
import { gcpKmsCryptoKey } from '../types/kms';
import { apiEnabled, itemsOf, nextToken, noteApi, type ProjectContext } from './context';
import { iso, policyCheck, policyOf, seconds } from './resource';

interface Key {
  name?: string | null;
  purpose?: string | null;
  rotationPeriod?: unknown;
  nextRotationTime?: unknown;
  primary?: { state?: string | null; protectionLevel?: string | null } | null;
  versionTemplate?: { protectionLevel?: string | null } | null;
  labels?: Record<string, string> | null;
}

const IAM = { promise: ['etag'], check: policyCheck } as const;

/** Key rings of every KMS location of the project, their keys and the IAM policies of both. */
export async function collectKms(ctx: ProjectContext): Promise<void> {
  if (!apiEnabled(ctx, 'cloudkms', 'cloudkms', 'ListLocations')) return;
  const kms = ctx.clients.kms();
  const locations = await ctx.calls.pages(
    { service: 'cloudkms', operation: 'ListLocations', region: 'global', list: 'locations' },
    (pageToken, o) => kms.locationsClient.listLocations({ name: `projects/${ctx.projectId}`, pageSize: 100, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
    nextToken,
  );
  noteApi(ctx, 'cloudkms', locations);
  if (!locations.ok) return;
  const ids = itemsOf<{ locationId?: string }>(locations.value).map((l) => l.locationId).filter((l): l is string => !!l);
  await Promise.all(ids.map((loc) => collectLocation(ctx, loc)));
}

async function collectLocation(ctx: ProjectContext, location: string): Promise<void> {
  const kms = ctx.clients.kms();
  const rings = await ctx.calls.pages(
    { service: 'cloudkms', operation: 'ListKeyRings', region: location, list: 'keyRings' },
    (pageToken, o) => kms.listKeyRings({ parent: `projects/${ctx.projectId}/locations/${location}`, pageSize: 1000, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
    nextToken,
  );
  if (!rings.ok) return;
  const names = itemsOf<{ name?: string }>(rings.value).map((r) => r.name).filter((n): n is string => !!n);
  await Promise.all(
    names.map(async (ring) => {
      const ringId = `//cloudkms.googleapis.com/${ring}`;
      const [keys, ringPolicy] = await Promise.all([
        ctx.calls.pages(
          // A key ring whose keys cannot be listed hides them: an incomplete listing, not one ring's gap.
          { service: 'cloudkms', operation: 'ListCryptoKeys', region: location, list: 'cryptoKeys' },
          (pageToken, o) => kms.listCryptoKeys({ parent: ring, pageSize: 1000, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
          nextToken,
        ),
        ctx.calls.one({ service: 'cloudkms', operation: 'GetKeyRingIamPolicy', region: location, resourceId: ringId, ...IAM }, (o) =>
          kms.getIamPolicy({ resource: ring, options: { requestedPolicyVersion: 3 } } as never, o),
        ),
      ]);
      if (!keys.ok) return;
      await Promise.all(itemsOf<Key>(keys.value).map((k) => collectKey(ctx, location, ring, k, ringPolicy)));
    }),
  );
}

async function collectKey(ctx: ProjectContext, location: string, ring: string, k: Key, ringPolicy: Awaited<ReturnType<ProjectContext['calls']['one']>>): Promise<void> {
  const name = k.name ?? '';
  const id = `//cloudkms.googleapis.com/${name}`;
  const d = new ResourceDraft(gcpKmsCryptoKey, {
    name,
    keyRing: ring,
    location,
    purpose: k.purpose ?? 'CRYPTO_KEY_PURPOSE_UNSPECIFIED',
    rotationPeriodSeconds: seconds(k.rotationPeriod),
    nextRotationTime: iso(k.nextRotationTime),
    primary: k.primary ? { state: k.primary.state ?? '', protectionLevel: k.primary.protectionLevel ?? 'PROTECTION_LEVEL_UNSPECIFIED' } : null,
    protectionLevel: k.versionTemplate?.protectionLevel ?? k.primary?.protectionLevel ?? 'PROTECTION_LEVEL_UNSPECIFIED',
    iamPolicy: null,
    keyRingIamPolicy: null,
  });
  if (!k.purpose || k.purpose === 'CRYPTO_KEY_PURPOSE_UNSPECIFIED') d.lose('purpose');
  // The ring's policy: the same for every key of the ring; its failure is recorded once, on the ring.
  if (d.from(ringPolicy)) {
    const p = policyOf((ringPolicy.value as unknown[] | null)?.[0] as never, false);
    if (p === undefined) d.lose('keyRingIamPolicy');
    else d.properties.keyRingIamPolicy = p;
  }
  const own = await ctx.calls.one({ service: 'cloudkms', operation: 'GetCryptoKeyIamPolicy', region: location, resourceId: id, ...IAM }, (o) =>
    ctx.clients.kms().getIamPolicy({ resource: name, options: { requestedPolicyVersion: 3 } } as never, o),
  );
  if (d.from(own)) {
    const p = policyOf((own.value as unknown[] | null)?.[0] as never, false);
    if (p === undefined) d.lose('iamPolicy');
    else d.properties.iamPolicy = p;
  }
  await ctx.emit(d.finish({ id, account: ctx.projectId, region: 'global', name: name.split('/').pop() ?? name, ...(k.labels && Object.keys(k.labels).length ? { tags: { ...k.labels } } : {}) }));
}
