/**
 * The AICPA 2017 Trust Services Criteria (with the 2022 revised points of focus): all 61
 * criteria, titled in our own words. `manualNote` says what evidence an auditor needs instead
 * where no cloud setting can show the criterion is met.
 */

export interface Soc2Criterion {
  id: string;
  /** Category and, for the common criteria, the series. */
  category: string;
  title: string;
}

interface Series {
  category: string;
  manualNote: string;
  criteria: [id: string, title: string][];
}

const SERIES: Series[] = [
  {
    category: 'Common Criteria — Control Environment',
    manualNote: 'Governance, ethics and people controls: evidenced by policies, board minutes and HR records, not by cloud settings.',
    criteria: [
      ['CC1.1', 'The organization shows commitment to integrity and ethical values'],
      ['CC1.2', 'The board is independent of management and oversees internal control'],
      ['CC1.3', 'Management sets structures, reporting lines, authorities and responsibilities'],
      ['CC1.4', 'The organization attracts, develops and retains competent people'],
      ['CC1.5', 'People are held accountable for their internal control responsibilities'],
    ],
  },
  {
    category: 'Common Criteria — Communication and Information',
    manualNote: 'Communication of objectives and responsibilities: evidenced by documents and communications, not by cloud settings.',
    criteria: [
      ['CC2.1', 'Relevant, good-quality information is produced and used to support internal control'],
      ['CC2.2', 'Objectives and responsibilities for internal control are communicated internally'],
      ['CC2.3', 'Matters affecting internal control are communicated with external parties'],
    ],
  },
  {
    category: 'Common Criteria — Risk Assessment',
    manualNote: 'Risk assessment is a management process: evidenced by the risk register and its reviews.',
    criteria: [
      ['CC3.1', 'Objectives are specified clearly enough to identify and assess risks'],
      ['CC3.2', 'Risks to the objectives are identified and analysed'],
      ['CC3.3', 'The potential for fraud is considered when assessing risks'],
      ['CC3.4', 'Changes that could significantly affect internal control are identified and assessed'],
    ],
  },
  {
    category: 'Common Criteria — Monitoring Activities',
    manualNote: 'Control monitoring: a nightly trustscan run is itself evidence, but the review and follow-up of its findings must be shown separately.',
    criteria: [
      ['CC4.1', 'Ongoing or separate evaluations confirm that controls are present and functioning'],
      ['CC4.2', 'Control deficiencies are evaluated and communicated in time for corrective action'],
    ],
  },
  {
    category: 'Common Criteria — Control Activities',
    manualNote: 'Selection and deployment of controls through policy: evidenced by policies and procedures.',
    criteria: [
      ['CC5.1', 'Control activities are chosen and developed to reduce risks to acceptable levels'],
      ['CC5.2', 'General controls over technology are chosen and developed'],
      ['CC5.3', 'Control activities are deployed through policies and procedures'],
    ],
  },
  {
    category: 'Common Criteria — Logical and Physical Access Controls',
    manualNote: 'No automated rule in this rule set evidences this criterion; physical and process controls need other evidence.',
    criteria: [
      ['CC6.1', 'Logical access security software, infrastructure and architecture protect information assets'],
      ['CC6.2', 'Users are registered and authorised before credentials are issued, and removed when no longer needed'],
      ['CC6.3', 'Access is granted, changed and removed by role, with least privilege and segregation of duties'],
      ['CC6.4', 'Physical access to facilities and protected assets is restricted to authorised people'],
      ['CC6.5', 'Protections are withdrawn from assets only after their data can no longer be recovered'],
      ['CC6.6', 'Logical access measures protect against threats from outside the system boundaries'],
      ['CC6.7', 'Moving, transmitting and removing information is restricted to authorised parties and protected'],
      ['CC6.8', 'Controls prevent or detect unauthorised or malicious software'],
    ],
  },
  {
    category: 'Common Criteria — System Operations',
    manualNote: 'No automated rule in this rule set evidences this criterion; incident handling needs runbooks and records.',
    criteria: [
      ['CC7.1', 'Detection and monitoring find configuration changes and newly discovered vulnerabilities'],
      ['CC7.2', 'System components are monitored for anomalies that indicate attacks, disasters or errors'],
      ['CC7.3', 'Security events are evaluated to decide whether they are incidents'],
      ['CC7.4', 'Security incidents are handled through a defined response programme'],
      ['CC7.5', 'The organisation recovers from identified security incidents'],
    ],
  },
  {
    category: 'Common Criteria — Change Management',
    manualNote: 'No automated rule in this rule set evidences this criterion; change approval records are needed.',
    criteria: [['CC8.1', 'Changes to infrastructure, data, software and procedures are authorised, tested, approved and recorded']],
  },
  {
    category: 'Common Criteria — Risk Mitigation',
    manualNote: 'Business continuity and vendor management: evidenced by plans, contracts and vendor reviews.',
    criteria: [
      ['CC9.1', 'Risks from business disruption are identified and mitigated'],
      ['CC9.2', 'Risks from vendors and business partners are assessed and managed'],
    ],
  },
  {
    category: 'Availability',
    manualNote: 'No automated rule in this rule set evidences this criterion; capacity and recovery tests need other evidence.',
    criteria: [
      ['A1.1', 'Processing capacity and usage are monitored and planned to meet availability commitments'],
      ['A1.2', 'Environmental protections, backups and recovery infrastructure are in place and maintained'],
      ['A1.3', 'Recovery plan procedures are tested'],
    ],
  },
  {
    category: 'Confidentiality',
    manualNote: 'No automated rule in this rule set evidences this criterion; data classification and disposal records are needed.',
    criteria: [
      ['C1.1', 'Confidential information is identified and protected'],
      ['C1.2', 'Confidential information is disposed of when no longer needed'],
    ],
  },
  {
    category: 'Processing Integrity',
    manualNote: 'Processing integrity concerns application logic and data quality: evidenced by application controls and tests.',
    criteria: [
      ['PI1.1', 'Information about processing objectives and data definitions is produced and used'],
      ['PI1.2', 'System inputs are complete and accurate'],
      ['PI1.3', 'System processing is complete, accurate and timely'],
      ['PI1.4', 'Outputs are complete, accurate, timely and delivered only as intended'],
      ['PI1.5', 'Inputs, items in processing and outputs are stored completely and accurately'],
    ],
  },
  {
    category: 'Privacy',
    manualNote: 'Privacy practices (notice, consent, data-subject rights, disclosures): evidenced by privacy programme records.',
    criteria: [
      ['P1.1', 'Data subjects are given notice of privacy practices'],
      ['P2.1', 'Choices about collection and use are communicated and consent is obtained'],
      ['P3.1', 'Personal information is collected only as the objectives require'],
      ['P3.2', 'Explicit consent is obtained where sensitive personal information is collected'],
      ['P4.1', 'Personal information is used only for the purposes identified'],
      ['P4.2', 'Personal information is retained only as long as needed'],
      ['P4.3', 'Personal information is disposed of securely'],
      ['P5.1', 'Data subjects can access their personal information'],
      ['P5.2', 'Data subjects can have their personal information corrected'],
      ['P6.1', 'Personal information is disclosed to third parties only with consent'],
      ['P6.2', 'Authorised disclosures are recorded'],
      ['P6.3', 'Unauthorised disclosures, including breaches, are recorded'],
      ['P6.4', 'Vendors and third parties commit to privacy obligations'],
      ['P6.5', 'Vendors and third parties report unauthorised disclosures'],
      ['P6.6', 'Breaches are notified to affected data subjects and regulators'],
      ['P6.7', 'Data subjects can obtain an account of their personal information and its disclosures'],
      ['P7.1', 'Personal information is kept accurate, complete and relevant'],
      ['P8.1', 'Privacy compliance is monitored, and inquiries, complaints and disputes are handled'],
    ],
  },
];

export const SOC2_CRITERIA: readonly Soc2Criterion[] = SERIES.flatMap((s) =>
  s.criteria.map(([id, title]) => ({ id, category: s.category, title })),
);

/**
 * Criteria the AWS rules leave MANUAL even in series they otherwise cover, with the evidence an
 * auditor needs instead (rules/README.md explains each).
 */
const CRITERION_NOTES: Record<string, string> = {
  'CC6.4':
    "Physical access to data centres is the cloud provider's control: use the provider's own SOC 2 report (subservice organisation) and your offices' physical access records.",
  'CC6.5':
    "Disposal of physical media happens in the provider's data centres (its SOC 2 report covers it); for your own laptops and media, asset disposal records.",
  'A1.1':
    'Capacity planning (utilisation trends, service quotas, scaling policies) is not a configuration trustscan reads: show capacity reviews and monitoring dashboards.',
  'A1.3': 'Recovery plans must be tested: restore-test and failover-exercise records, not configuration, are the evidence.',
};

const BY_ID = new Map(SOC2_CRITERIA.map((c) => [c.id, c]));
const NOTE_BY_ID = new Map(SERIES.flatMap((s) => s.criteria.map(([id]) => [id, CRITERION_NOTES[id] ?? s.manualNote] as const)));

export function soc2Criterion(id: string): Soc2Criterion | undefined {
  return BY_ID.get(id);
}

export function isSoc2Criterion(id: string): boolean {
  return BY_ID.has(id);
}

/** What an auditor needs instead when no automated rule gives evidence for `id`. */
export function manualNote(id: string): string {
  return NOTE_BY_ID.get(id) ?? '';
}
