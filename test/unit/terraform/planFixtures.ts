/**
 * Real `terraform show -json` outputs for the plan tests (test/fixtures/terraform/plans, sources in
 * its PROVENANCE.md), and the few derived plans the tests need that no public fixture has, each
 * made from a real one the way Terraform would change it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanJson, readPlan } from '../../../src/core/terraform/plan';

export const PLANS = join(__dirname, '../../fixtures/terraform/plans');

/** Short names for the fixtures the tests use. */
export const FIXTURE = {
  create: 'borchero__terraform-plan-comment__tests__fixtures__basic__0-create__plan.json',
  modify: 'borchero__terraform-plan-comment__tests__fixtures__basic__1-modify__plan.json',
  delete: 'borchero__terraform-plan-comment__tests__fixtures__basic__2-delete__plan.json',
  deleteText: 'borchero__terraform-plan-comment__tests__fixtures__basic__2-delete__plan.txt',
  remove: 'borchero__terraform-plan-comment__tests__fixtures__basic__3-remove__plan.json',
  empty: 'borchero__terraform-plan-comment__tests__fixtures__basic__4-empty__plan.json',
  multiplan: 'borchero__terraform-plan-comment__tests__fixtures__basic__6-terragrunt-multiplan__plan.json',
  createDelete: 'jond3k__tfplan-validator__test__fixtures__create-delete__plan.json',
  deleteCreate: 'jond3k__tfplan-validator__test__fixtures__delete-create__plan.json',
  jondDelete: 'jond3k__tfplan-validator__test__fixtures__delete__plan.json',
  jondState: 'jond3k__tfplan-validator__test__fixtures__delete__terraform.tfstate',
  jondUpdate: 'jond3k__tfplan-validator__test__fixtures__update__plan.json',
  dev3: 'jond3k__tfplan-validator__test__multi-env__infrastructure__dev3__plan.json',
  azuredevops: 'oocx__tfplan2md__examples__azuredevops__terraform_plan2.json',
  snykDestroy: 'snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-destroy.json',
  issue522: 'terraform-compliance__cli__tests__functional__test_issue_522__plan.out.json',
  infracost: 'infracost__infracost__cmd__infracost__testdata__terraform_v0.14_plan.json',
  infracostState: 'infracost__infracost__cmd__infracost__testdata__terraform_v0.14_state.json',
  replaceWithinSet: 'opentofu__opentofu__testing__equivalence-tests__outputs__replace_within_set__plan.json',
  objectReplace: 'opentofu__opentofu__testing__equivalence-tests__outputs__simple_object_replace__plan.json',
  complexDestroy: 'opentofu__opentofu__testing__equivalence-tests__outputs__fully_populated_complex_destroy__plan.json',
  dataRead: 'opentofu__opentofu__testing__equivalence-tests__outputs__data_read__plan.json',
  driftRelevant: 'opentofu__opentofu__testing__equivalence-tests__outputs__drift_relevant_attributes__plan.json',
  driftRefreshOnly: 'opentofu__opentofu__testing__equivalence-tests__outputs__drift_refresh_only__plan.json',
  checkovCreateDelete: 'bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_deleted_resources__tfplan.json',
  utf16: 'bridgecrewio__checkov__tests__terraform__runner__resources__plan_with_utf_16_encoding__tfplan.json',
  invalidPlan: 'hashicorp__terraform-json__testdata__invalid__plan.json',
  invalidState: 'hashicorp__terraform-json__testdata__invalid__state.json',
  tainted: 'hashicorp__terraform-json__testdata__action_reason__plan.json',
  trimmed: 'hieven__terraform-visual__gh-pages__src__data__examples__aws-s3.json',
  sensitive: 'ovsds__tf-plan-format__tests__data__plans__sensitive__terraform.tfplan.json',
  rdsClusterState: 'snyk__driftctl__pkg__iac__terraform__state__test__aws_rds_cluster__terraform.tfstate',
} as const;

export type FixtureName = keyof typeof FIXTURE;

export function fixturePath(name: FixtureName): string {
  return join(PLANS, FIXTURE[name]);
}

export function fixtureText(name: FixtureName): string {
  return readFileSync(fixturePath(name), 'utf8');
}

export function loadPlan(name: FixtureName): PlanJson {
  return readPlan(fixtureText(name));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Mutable = any;

/** A parsed copy to derive a plan from. */
export function planCopy(name: FixtureName): Mutable {
  return JSON.parse(fixtureText(name));
}

/**
 * The entry as `terraform plan -destroy` would write it: actions ["delete"], the prior values kept
 * as `before`, nothing after.
 */
export function asDestroyed(entry: Mutable): Mutable {
  entry.change = { ...entry.change, actions: ['delete'], after: null, after_unknown: {}, after_sensitive: false };
  return entry;
}

/**
 * A destroy plan for the one resource instance in a real raw state file: what `terraform plan -destroy`
 * shows for it (format 1.x, before = the instance's attributes).
 */
export function destroyPlanFromState(name: FixtureName): Mutable {
  const state = JSON.parse(fixtureText(name));
  const resource = state.resources[0];
  return {
    format_version: '1.0',
    terraform_version: state.terraform_version,
    resource_changes: [
      {
        address: `${resource.type}.${resource.name}`,
        mode: resource.mode,
        type: resource.type,
        name: resource.name,
        provider_name: 'registry.terraform.io/hashicorp/aws',
        change: { actions: ['delete'], before: resource.instances[0].attributes, after: null, after_unknown: {}, before_sensitive: {}, after_sensitive: false },
      },
    ],
  };
}
