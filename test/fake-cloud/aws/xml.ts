/** Tiny XML writer for the fake's responses (the SDK's parsers are the ones under test). */

export function esc(s: unknown): string {
  return String(s).replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** `<tag>value</tag>` with the value escaped; null/undefined leaves the element out (as AWS does for absent fields). */
export function el(tag: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  return `<${tag}>${esc(value)}</${tag}>`;
}

/** Raw nested XML (already escaped). */
export function nest(tag: string, ...children: string[]): string {
  return `<${tag}>${children.join('')}</${tag}>`;
}

export function list(tag: string, itemTag: string, items: string[]): string {
  return `<${tag}>${items.map((i) => `<${itemTag}>${i}</${itemTag}>`).join('')}</${tag}>`;
}
