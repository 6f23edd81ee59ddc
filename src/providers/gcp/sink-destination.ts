/**
 * A log sink's destination kind and, for Cloud Storage, the bucket name (what a rule looks up):
 * the same for a sink the collector reads and one declared in Terraform.
 */
export function destinationOf(destination: string): { destinationType: string; destinationName: string } {
  const m = /^(storage|bigquery|pubsub|logging)\.googleapis\.com\/(.*)$/.exec(destination);
  if (!m) return { destinationType: 'other', destinationName: destination };
  return { destinationType: m[1], destinationName: m[1] === 'storage' ? m[2] : destination };
}
