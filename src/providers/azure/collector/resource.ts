
/** ISO 8601 without milliseconds when they are zero. Numbers are epoch seconds (Key Vault attributes). */
export function iso(d: Date | string | number | undefined | null): string | null {
  if (d === undefined || d === null) return null;
  const t = d instanceof Date ? d : new Date(typeof d === 'number' ? d * 1000 : d);
  if (Number.isNaN(t.getTime())) return null;
  return t.toISOString().replace('.000Z', 'Z');
}

/** An ARM id as the snapshot holds it: lower case (ARM compares ids case-insensitively and answers in mixed case). */
export function armId(id: string | undefined | null): string {
  return (id ?? '').toLowerCase();
}

export function armIdOrNull(id: string | undefined | null): string | null {
  return id ? id.toLowerCase() : null;
}

/** Resource group name from an ARM id (as written in the id). */
export function resourceGroupOf(id: string | undefined): string {
  const m = /\/resourcegroups\/([^/]+)/i.exec(id ?? '');
  return m ? m[1] : '';
}

/** A region as ARM names it in `location`, normalised (`West Europe` → `westeurope`). */
export function region(location: string | undefined | null): string {
  const l = (location ?? '').toLowerCase().replace(/\s+/g, '');
  return l === '' ? 'global' : l;
}

export function tagsOf(tags: Record<string, string> | undefined | null): Record<string, string> | undefined {
  return tags && Object.keys(tags).length > 0 ? { ...tags } : undefined;
}
