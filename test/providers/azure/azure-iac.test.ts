import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtinCatalog } from '../../../src/catalog';
import type { Finding, Results, Snapshot } from '../../../src/core/types';
import { evaluate } from '../../../src/engine/evaluate';
import { loadIac } from '../../../src/iac/index';
import { cli, ROOT, tempDir, writeTemp } from '../../helpers';

/**
 * azurerm Terraform plans through the same reader as AWS plans (`trustscan iac`): mapped to the
 * Azure resource types, placed in the subscription the code states, and gated by the same rules,
 * with what the code does not fix (after-apply values, settings outside the code) UNKNOWN.
 */
const SUB = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const FIXTURE = join(ROOT, 'fixtures', 'iac', 'azure', 'plan.json');
const NOW = new Date('2026-12-01T00:00:00Z');

const catalog = builtinCatalog();
const load = (file: string, account?: string): Snapshot => loadIac([file], catalog.registry, { cwd: ROOT, account }).snapshot;
const run = (s: Snapshot): Results => evaluate(s, catalog.loadRules(), catalog.registry, { now: NOW }).results;
const statuses = (results: Results, rule: string): string[] => results.findings.filter((f) => f.ruleId === rule).map((f) => f.status);

/** A minimal plan: resource changes (created) and the configuration's references and providers. */
interface Res {
  address: string;
  values: Record<string, unknown>;
  unknown?: Record<string, unknown>;
  refs?: Record<string, string[]>;
  provider?: string;
}
function plan(resources: Res[], providers: Record<string, Record<string, unknown>> = {}, data: Res[] = []): string {
  return JSON.stringify(
    {
      format_version: '1.2',
      terraform_version: '1.9.0',
      resource_changes: resources.map((r) => ({
        address: r.address,
        mode: 'managed',
        type: r.address.split('.')[0],
        name: r.address.split('.')[1],
        change: { actions: ['create'], before: null, after: r.values, after_unknown: { id: true, ...(r.unknown ?? {}) } },
      })),
      prior_state: { values: { root_module: { resources: data.map((d) => ({ address: d.address, mode: 'data', type: d.address.split('.')[1], name: d.address.split('.')[2], values: d.values })) } } },
      configuration: {
        provider_config: Object.fromEntries(
          Object.entries(providers).map(([k, v]) => [k, { name: 'azurerm', ...(k.includes('.') ? { alias: k.split('.')[1] } : {}), expressions: Object.fromEntries(Object.entries(v).map(([a, c]) => [a, { constant_value: c }])) }]),
        ),
        root_module: {
          resources: resources.map((r) => ({
            address: r.address,
            mode: 'managed',
            type: r.address.split('.')[0],
            name: r.address.split('.')[1],
            provider_config_key: r.provider ?? 'azurerm',
            expressions: Object.fromEntries(Object.entries(r.refs ?? {}).map(([a, refs]) => [a, { references: refs }])),
          })),
        },
      },
    },
    null,
    1,
  );
}

const storage = (name: string, extra: Record<string, unknown> = {}): Res => ({
  address: `azurerm_storage_account.${name}`,
  values: { name, resource_group_name: 'rg', location: 'West Europe', account_tier: 'Standard', account_replication_type: 'LRS', ...extra },
});

describe('azurerm plan → Azure resource types', () => {
  const snapshot = load(FIXTURE, SUB);
  const results = run(snapshot);

  test('every mapped resource validates against its type and lands in the subscription and region the code states', () => {
    expect(snapshot.resources.map((r) => r.type).sort()).toEqual([
      'azure.authorization.role-assignment',
      'azure.keyvault.vault',
      'azure.monitor.activity-log-alert',
      'azure.network.nsg',
      'azure.storage.account',
      'azure.subscription',
    ]);
    expect(snapshot.metadata.providers).toEqual(['azure']);
    expect(snapshot.metadata.accounts).toEqual([{ provider: 'azure', id: SUB }]);
    expect(snapshot.resources.find((r) => r.type === 'azure.storage.account')!.region).toBe('westeurope');
  });

  test('a container linked by reference joins its account; a diagnostic setting its vault', () => {
    const acct = snapshot.resources.find((r) => r.type === 'azure.storage.account')!;
    expect(acct.properties.containers).toEqual([{ name: 'public', publicAccess: 'Blob' }]);
    const kv = snapshot.resources.find((r) => r.type === 'azure.keyvault.vault')!;
    expect((kv.properties.diagnosticSettings as unknown[]).length).toBe(1);
  });

  test('the same rules gate the plan: failures fail, after-apply values stay UNKNOWN', () => {
    expect(statuses(results, 'azure-storage-minimum-tls')).toEqual(['FAIL']);
    expect(statuses(results, 'azure-storage-no-anonymous-access')).toEqual(['PASS']);
    expect(statuses(results, 'azure-keyvault-recoverable')).toEqual(['FAIL']);
    expect(statuses(results, 'azure-network-nsg-no-internet-ssh')).toEqual(['FAIL']);
    expect(statuses(results, 'azure-defender-servers')).toEqual(['FAIL']);
    // the workspace id is known only after apply: whether the audit logs have a destination is unknown
    expect(statuses(results, 'azure-keyvault-logging')).toEqual(['UNKNOWN']);
    // key creation times exist only in a live subscription: the rule is not evaluated on code
    expect(statuses(results, 'azure-storage-keys-regenerated')).toEqual([]);
  });

  test('what the code does not declare is UNKNOWN, not FAIL or PASS: other Defender plans, Owners made outside the code', () => {
    // the plan turns on no Defender plan for App Service and declares one Owner: the subscription may have more of both
    expect(statuses(results, 'azure-defender-app-services')).toEqual(['UNKNOWN']);
    expect(statuses(results, 'azure-rbac-subscription-owner-limit')).toEqual(['UNKNOWN']);
    expect(statuses(results, 'azure-rbac-subscription-multiple-owners')).toEqual(['UNKNOWN']);
    const f = results.findings.find((x) => x.ruleId === 'azure-rbac-subscription-owner-limit')!;
    expect(JSON.stringify(f)).toMatch(/declares only some of subscription/);
  });
});

describe('trustscan iac reads azurerm plans', () => {
  test('findings are located at file, line and address, and roll up to SOC 2 and CIS Azure', async () => {
    const r = await cli(['iac', FIXTURE, '--account', SUB, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    const results = JSON.parse(r.stdout) as Results;
    const f = results.findings.find((x: Finding) => x.ruleId === 'azure-storage-minimum-tls')!;
    expect(f.status).toBe('FAIL');
    expect(f.resource.source).toEqual({ kind: 'terraform', file: 'fixtures/iac/azure/plan.json', line: expect.any(Number), address: 'azurerm_storage_account.data' });
    expect(f.resource.account).toBe(SUB);
    expect(Object.keys(results.frameworks)).toEqual(expect.arrayContaining(['soc2', 'cis-azure-foundations-v3.0.0']));
  });

  test('the subscription comes from the code: the provider block, an alias, the client-config data source; else --account; else unknown', () => {
    const dir = tempDir();
    const two = writeTemp(
      dir,
      'two.json',
      plan([storage('a'), { ...storage('b'), provider: 'azurerm.other' }], { azurerm: { subscription_id: SUB, features: [] }, 'azurerm.other': { subscription_id: OTHER } }),
    );
    const s = load(two, '33333333-3333-4333-8333-333333333333');
    expect(s.resources.map((r) => [r.name, r.account]).sort()).toEqual([
      ['a', SUB],
      ['b', OTHER],
    ]);
    expect(s.metadata.accounts.map((a) => a.id).sort()).toEqual([SUB, OTHER]);

    const viaData = writeTemp(dir, 'data.json', plan([storage('a')], {}, [{ address: 'data.azurerm_client_config.current', values: { subscription_id: OTHER, tenant_id: SUB } }]));
    expect(load(viaData).resources[0].account).toBe(OTHER);
    const bare = writeTemp(dir, 'bare.json', plan([storage('a')]));
    expect(load(bare, SUB).resources[0].account).toBe(SUB);
    expect(load(bare).resources[0].account).toBe('unknown');
  });

  test('Defender plans of two subscriptions stay apart; a declared plan is judged, an undeclared one is UNKNOWN', () => {
    const file = writeTemp(
      tempDir(),
      'defender.json',
      plan(
        [
          { address: 'azurerm_security_center_subscription_pricing.vm', values: { tier: 'Free', resource_type: 'VirtualMachines' } },
          { address: 'azurerm_security_center_subscription_pricing.kv', values: { tier: 'Standard', resource_type: 'KeyVaults' }, provider: 'azurerm.other' },
        ],
        { azurerm: { subscription_id: SUB }, 'azurerm.other': { subscription_id: OTHER } },
      ),
    );
    const results = run(load(file));
    const by = (rule: string) => Object.fromEntries(results.findings.filter((f) => f.ruleId === rule).map((f) => [f.resource.account, f.status]));
    expect(by('azure-defender-servers')).toEqual({ [SUB]: 'FAIL', [OTHER]: 'UNKNOWN' });
    expect(by('azure-defender-key-vault')).toEqual({ [SUB]: 'UNKNOWN', [OTHER]: 'PASS' });
  });

  test('settings split into separate resources are read: network rules and a customer-managed key override the account', () => {
    const ref = (a: string) => ({ storage_account_id: [`azurerm_storage_account.${a}.id`, `azurerm_storage_account.${a}`] });
    const file = writeTemp(
      tempDir(),
      'split.json',
      plan(
        [
          storage('locked'),
          { address: 'azurerm_storage_account_network_rules.locked', values: { default_action: 'Deny', bypass: ['AzureServices'], ip_rules: [], virtual_network_subnet_ids: [] }, unknown: { storage_account_id: true }, refs: ref('locked') },
          { address: 'azurerm_storage_account_customer_managed_key.locked', values: { key_vault_key_id: 'https://kv.vault.azure.net/keys/k' }, unknown: { storage_account_id: true }, refs: ref('locked') },
          storage('open'),
        ],
        { azurerm: { subscription_id: SUB } },
      ),
    );
    const s = load(file);
    const locked = s.resources.find((r) => r.name === 'locked')!;
    expect(locked.properties.networkRuleSet).toMatchObject({ defaultAction: 'Deny' });
    expect(locked.properties.encryption).toMatchObject({ keySource: 'Microsoft.Keyvault', keyVaultKeyUri: 'https://kv.vault.azure.net/keys/k' });
    const by = (results: Results, rule: string) => Object.fromEntries(results.findings.filter((f) => f.ruleId === rule).map((f) => [f.resource.name, f.status]));
    expect(by(run(s), 'azure-storage-default-network-deny')).toEqual({ locked: 'PASS', open: 'FAIL' });

    // rules that refer to a variable may target any account of the plan: neither is known to allow by default
    const unsure = writeTemp(
      tempDir(),
      'unsure.json',
      plan(
        [
          storage('a'),
          storage('b'),
          { address: 'azurerm_storage_account_network_rules.elsewhere', values: { default_action: 'Deny' }, unknown: { storage_account_id: true }, refs: { storage_account_id: ['var.account_id'] } },
        ],
        { azurerm: { subscription_id: SUB } },
      ),
    );
    expect(by(run(load(unsure)), 'azure-storage-default-network-deny')).toEqual({ a: 'UNKNOWN', b: 'UNKNOWN' });
  });

  test('a diagnostic setting on the subscription exports its activity log: a rule that needs one passes, a rule about all of them stays UNKNOWN', () => {
    const file = writeTemp(
      tempDir(),
      'activity.json',
      plan([
        {
          address: 'azurerm_monitor_diagnostic_setting.activity',
          values: { name: 'to-law', target_resource_id: `/subscriptions/${OTHER}`, log_analytics_workspace_id: '/subscriptions/x/resourcegroups/rg/providers/microsoft.operationalinsights/workspaces/law', enabled_log: [{ category: 'Administrative' }] },
        },
      ]),
    );
    const s = load(file);
    expect(s.resources.map((r) => [r.type, r.account])).toEqual([['azure.subscription', OTHER]]);
    const results = run(s);
    expect(statuses(results, 'azure-monitor-activity-log-exported')).toEqual(['PASS']);
    expect(statuses(results, 'azure-monitor-activity-log-storage-cmk')).toEqual(['UNKNOWN']);
    expect(statuses(results, 'azure-defender-servers')).toEqual(['UNKNOWN']);
  });

  test('a rule names its NSG within a resource group: a same-named group elsewhere does not get it', () => {
    const nsg = (name: string, rg: string): Res => ({ address: `azurerm_network_security_group.${name}`, values: { name: 'nsg-web', resource_group_name: rg, location: 'westeurope', security_rule: [] } });
    const file = writeTemp(
      tempDir(),
      'nsg.json',
      plan(
        [
          nsg('a', 'rg-a'),
          nsg('b', 'rg-b'),
          {
            address: 'azurerm_network_security_rule.ssh',
            values: { name: 'ssh', resource_group_name: 'rg-b', network_security_group_name: 'nsg-web', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source_address_prefix: '*', destination_port_range: '22' },
          },
        ],
        { azurerm: { subscription_id: SUB } },
      ),
    );
    const results = run(load(file));
    const ssh = Object.fromEntries(results.findings.filter((f) => f.ruleId === 'azure-network-nsg-no-internet-ssh').map((f) => [f.resource.source!.address, f.status]));
    expect(ssh).toEqual({ 'azurerm_network_security_group.a': 'PASS', 'azurerm_network_security_group.b': 'FAIL' });
  });

  test('a list written as one value is unknown, never an empty list (an NSG rule open to everyone on 22 read as "no sources")', () => {
    const file = writeTemp(
      tempDir(),
      'nsg-one.json',
      plan(
        [
          { address: 'azurerm_network_security_group.web', values: { name: 'nsg-web', resource_group_name: 'rg', location: 'westeurope', security_rule: [] } },
          {
            address: 'azurerm_network_security_rule.ssh',
            values: { name: 'ssh', resource_group_name: 'rg', network_security_group_name: 'nsg-web', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source_address_prefixes: '*', destination_port_range: '22' },
          },
        ],
        { azurerm: { subscription_id: SUB } },
      ),
    );
    expect(statuses(run(load(file)), 'azure-network-nsg-no-internet-ssh')).toEqual(['UNKNOWN']);
  });

  test('Terraform configuration without a plan (.tf): azurerm resources are checked too, not silently skipped', async () => {
    const dir = tempDir();
    writeTemp(dir, 'main.tf', ['resource "azurerm_storage_account" "data" {', '  name                     = "contosodata"', '  resource_group_name      = "rg"', '  location                 = "West Europe"', '  account_tier             = "Standard"', '  account_replication_type = "LRS"', '  min_tls_version          = "TLS1_0"', '}', ''].join('\n'));
    const r = await cli(['iac', dir, '--account', SUB, '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    const results = JSON.parse(r.stdout) as Results;
    const f = results.findings.find((x) => x.ruleId === 'azure-storage-minimum-tls')!;
    expect(f.status).toBe('FAIL');
    expect(f.resource.account).toBe(SUB);
    expect(f.resource.source).toMatchObject({ kind: 'terraform', line: 1, address: 'azurerm_storage_account.data' });
    expect(results.findings.find((x) => x.ruleId === 'azure-storage-secure-transfer')!.status).toBe('PASS');
  });

  test('Terraform configuration: the subscription comes from the azurerm provider block (an alias, a module\'s inherited provider), never from a credential in it', async () => {
    const dir = tempDir();
    const other = '99999999-8888-7777-6666-555555555555';
    writeTemp(dir, 'main.tf', [
      'variable "sub" {',
      `  default = "${other}"`,
      '}',
      'provider "azurerm" {',
      '  features {}',
      `  subscription_id = "${SUB}"`,
      '  client_secret   = "not-for-output-3f9a"',
      '}',
      'provider "azurerm" {',
      '  alias           = "other"',
      '  features {}',
      '  subscription_id = var.sub',
      '}',
      'resource "azurerm_storage_account" "a" {',
      '  name = "a"',
      '  resource_group_name = "rg"',
      '  location = "westeurope"',
      '  account_tier = "Standard"',
      '  account_replication_type = "LRS"',
      '}',
      'resource "azurerm_storage_account" "b" {',
      '  provider = azurerm.other',
      '  name = "b"',
      '  resource_group_name = "rg"',
      '  location = "westeurope"',
      '  account_tier = "Standard"',
      '  account_replication_type = "LRS"',
      '}',
      'module "m" {',
      '  source = "./m"',
      '}',
      '',
    ].join('\n'));
    mkdirSync(join(dir, 'm'));
    writeTemp(dir, 'm/main.tf', ['resource "azurerm_storage_account" "c" {', '  name = "c"', '  resource_group_name = "rg"', '  location = "westeurope"', '  account_tier = "Standard"', '  account_replication_type = "LRS"', '}', ''].join('\n'));
    const r = await cli(['iac', dir, '--no-config', '--format', 'json']);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stdout).not.toContain('not-for-output-3f9a');
    const results = JSON.parse(r.stdout) as Results;
    const accounts = Object.fromEntries(results.findings.filter((x) => x.ruleId === 'azure-storage-minimum-tls').map((f) => [f.resource.source!.address, f.resource.account]));
    expect(accounts).toEqual({ 'azurerm_storage_account.a': SUB, 'azurerm_storage_account.b': other, 'module.m.azurerm_storage_account.c': SUB });
  });

  test('azurerm resources the rules need but the reader does not map are reported as not read, and their rules are UNKNOWN', async () => {
    const file = writeTemp(
      tempDir(),
      'sql.json',
      plan([{ address: 'azurerm_mssql_server.db', values: { name: 'db', location: 'westeurope', public_network_access_enabled: true } }], { azurerm: { subscription_id: SUB } }),
    );
    const s = load(file);
    expect(s.coverage).toEqual([expect.objectContaining({ provider: 'azure', account: SUB, region: 'westeurope', operation: 'azurerm_mssql_server', outcome: 'not-enabled', affects: ['azure.sql.server'] })]);
    const r = await cli(['iac', file, '--format', 'json']);
    const results = JSON.parse(r.stdout) as Results;
    const sql = results.findings.filter((f) => f.ruleId.startsWith('azure-sql-'));
    expect(sql.length).toBeGreaterThan(0);
    expect(new Set(sql.map((f) => f.status))).toEqual(new Set(['UNKNOWN']));
  });
});
