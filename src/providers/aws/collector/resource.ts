
/** ISO 8601 without milliseconds when they are zero (the form AWS documents show). */
export function iso(d: Date | string | number | undefined | null): string | null {
  if (d === undefined || d === null) return null;
  const t = d instanceof Date ? d : new Date(typeof d === 'number' ? d * 1000 : d);
  if (Number.isNaN(t.getTime())) return null;
  return t.toISOString().replace('.000Z', 'Z');
}

/** A policy document as AWS sends it: URL-encoded JSON (IAM), or plain JSON (S3, KMS). Undefined when unreadable. */
export function decodePolicy(doc: string | undefined | null): Record<string, unknown> | null | undefined {
  if (doc === undefined || doc === null || doc === '') return null;
  for (const text of [doc, safeDecode(doc)]) {
    if (text === undefined) continue;
    try {
      const v = JSON.parse(text);
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // try the other form
    }
  }
  return undefined;
}

function safeDecode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

export function tagsOf(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> | undefined {
  if (!list || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const t of list) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}
