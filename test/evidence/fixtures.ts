import { HistoryStore } from '../../src/store/store';
import type { HistoryTarget } from '../../src/store/target';
import type { SuppressionEntry } from '../../src/suppress/suppressions';
import { BACKUPS, demo, recordOf, setVersioning } from '../store/helpers';

/**
 * Ten days of nightly runs of the demo organisation, with what an auditor must see:
 * - 2026-03-01 … 03-10, except 03-05 (no run: a gap) and 03-07 (only account 222222222222 scanned);
 * - the backups bucket's versioning fails from 03-01, is fixed on 03-04, fails again on 03-08;
 * - a waiver on the public-assets bucket's versioning, owned and ticketed, expiring 03-03, so the
 *   finding fails again from 03-04 (expired while failing);
 * - rule aws-s3-bucket-versioning changes version on 03-06.
 */

export const DAYS = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'];
export const PUBLIC_ASSETS = 'arn:aws:s3:::acme-prod-public-assets';

export const WAIVER: SuppressionEntry = {
  rule: 'aws-s3-bucket-versioning',
  resource: PUBLIC_ASSETS,
  reason: 'Static assets are rebuilt from the repository on every deploy',
  expires: '2026-03-03',
  owner: 'web-team',
  ticket: 'RISK-7',
  source: 'trustscan.yaml:3',
};

export async function recordPeriod(target: HistoryTarget): Promise<void> {
  const store = await HistoryStore.open(target);
  try {
    for (const day of DAYS) {
      const fixed = day >= '2026-03-04' && day < '2026-03-08';
      const snap = setVersioning(demo(day), fixed ? 'Enabled' : 'Suspended');
      if (day === '2026-03-07') {
        snap.resources = snap.resources.filter((r) => r.account === '222222222222');
        snap.coverage = snap.coverage.filter((c) => c.account === '222222222222');
        snap.metadata.accounts = snap.metadata.accounts.filter((a) => a.id === '222222222222');
      }
      const record = recordOf(snap, [WAIVER]);
      if (day >= '2026-03-06') {
        const rule = record.rules.find((r) => r.id === 'aws-s3-bucket-versioning')!;
        rule.version = 'v2-changed';
        rule.contentHash = 'f'.repeat(64);
      }
      await store.record(record);
    }
  } finally {
    await store.close();
  }
  void BACKUPS;
}
