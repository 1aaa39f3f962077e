import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { declaringBlock, demoDir, demoFiles, mainTfBlocks, readDemoPlan } from '../../../scripts/demoPlan';

// The demo tells one story: demo/main.tf, the stand-in's terminal output and the review panel all
// come from the recorded plan demo/bin/plan.json.

const read = (file: string): string => readFileSync(path.join(demoDir, file), 'utf8');

describe('the demo plan', () => {
  const plan = readDemoPlan();
  const addresses = plan.resource_changes.map((c) => c.address);

  it('main.tf, resources.tsv and destroy-plan.txt are what scripts/demoPlan.ts makes of plan.json', () => {
    for (const [file, text] of Object.entries(demoFiles(plan))) assert.equal(read(file), text, `${file} is stale: run npx tsx scripts/demoPlan.ts`);
  });

  it('main.tf declares exactly the blocks the plan destroys resources of', () => {
    assert.deepEqual(mainTfBlocks(read('main.tf')).sort(), [...new Set(addresses.map(declaringBlock))].sort());
  });

  it("the stand-in's destroy lists every resource of the plan, and its count", () => {
    const text = read('bin/destroy-plan.txt');
    assert.deepEqual([...text.matchAll(/^ {2}# (.+) will be destroyed$/gm)].map((m) => m[1]), addresses);
    assert.match(text, new RegExp(`^Plan: 0 to add, 0 to change, ${addresses.length} to destroy\\.$`, 'm'));
  });

  it('the panel reads a destroy of 81 resources with a database among them, and its backup settings', () => {
    const analysis = analyzePlan(readPlan(read('bin/plan.json')));
    assert.equal(analysis.total, 81);
    assert.equal(analysis.counts.delete, 81);
    const database = analysis.critical.find((c) => c.category === 'database');
    assert.equal(database?.address, 'module.cosmosdb[0].azurerm_cosmosdb_account.this');
    assert.match(read('bin/destroy-plan.txt'), /- tier {16}= "Continuous30Days" -> null/);
  });

  it('declaringBlock names the root-module block of an address', () => {
    assert.equal(declaringBlock('azurerm_role_assignment.kv_secrets_user[0]'), 'azurerm_role_assignment.kv_secrets_user');
    assert.equal(declaringBlock('module.ai_lz_vnet.module.subnet["APIMSubnet"].azapi_resource.subnet'), 'module.ai_lz_vnet');
    assert.equal(declaringBlock('module.nsgs.azurerm_network_security_rule.this["a.b"]'), 'module.nsgs');
  });
});
