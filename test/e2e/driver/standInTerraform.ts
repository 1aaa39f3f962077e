import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { repoRoot } from '../harness/paths';
import { session } from '../harness/session';
import { suiteWorkbench, type SuiteWorkbench } from './suiteWorkbench';
import { escapeRegExp, findWebviewFrame, openWorkbench, runCommand, typeInTerminal, type Workbench } from './workbench';

/**
 * The review-panel specs' setup: a workbench with a guarded terminal whose PATH finds the stand-in
 * terraform (test/e2e/fixtures/terraform). Its `show -json` prints a real recorded destroy plan (8
 * deletes); anything else it is asked to run leaves a line in `marker`, so a spec sees whether it ran.
 */
export const DESTROY_PLAN = path.join(repoRoot, 'test/fixtures/terraform/plans/snyk__cli__test__fixtures__iac__terraform-plan__tf-plan-destroy.json');

interface StandInTerraform {
  workbench: Workbench;
  /** Written by the stand-in when a command really runs. */
  marker: string;
}

async function openWithStandInTerraform(prefix: string): Promise<StandInTerraform> {
  const { server, workspace, extensionPath } = session();
  const dir = mkdtempSync(path.join(server.runDir, prefix));
  mkdirSync(path.join(dir, 'bin'));
  copyFileSync(path.join(repoRoot, 'test/e2e/fixtures/terraform'), path.join(dir, 'bin', 'terraform'));
  copyFileSync(DESTROY_PLAN, path.join(dir, 'bin', 'plan.json'));
  const workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath: extensionPath });
  await runCommand(workbench.page, 'Countersign: New Guarded Terminal');
  await typeInTerminal(workbench.page, `cd ${dir} && export PATH="${dir}/bin:$PATH"`);
  return { workbench, marker: path.join(dir, 'marker-terraform') };
}

/** suiteWorkbench for a describe block that works with the stand-in terraform, its marker with it. */
export function standInTerraformSuite(prefix: string): SuiteWorkbench & { readonly marker: string } {
  let marker: string | undefined;
  const suite = suiteWorkbench(async () => {
    const env = await openWithStandInTerraform(prefix);
    marker = env.marker;
    return env.workbench;
  });
  return {
    get workbench() {
      return suite.workbench;
    },
    get page() {
      return suite.page;
    },
    get marker() {
      if (marker === undefined) throw new Error('the stand-in terraform is set up in the before hook');
      return marker;
    },
  };
}

/** The review panel's card for exactly `command`, as soon as the panel shows cards. */
export async function cardFor(page: Page, command: string): Promise<{ frame: Frame; card: Locator }> {
  const frame = await findWebviewFrame(page, '[data-card-id]');
  const card = frame.locator('[data-card-id]', { has: frame.locator('[data-field=command]', { hasText: new RegExp(`^${escapeRegExp(command)}$`) }) }).first();
  return { frame, card };
}

/** The review panel's card for exactly `command`, once its plan preview is shown. */
export async function readyCard(page: Page, command: string): Promise<{ frame: Frame; card: Locator }> {
  const found = await cardFor(page, command);
  await found.card.locator('[data-field=headline]').waitFor({ timeout: 30_000 });
  return found;
}
