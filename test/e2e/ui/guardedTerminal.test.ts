// UI test in the real workbench: a person opens a guarded terminal from the command palette, types a
// destroy, sees the banner, approves in the notification and sees the command's output; dismissing the
// notification denies.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  clickDialogButton,
  dialogText,
  openWorkbench,
  runCommand,
  screenshot,
  typeInTerminal,
  waitForTerminalText,
  type Workbench,
} from '../driver/workbench';
import { session } from '../harness/session';

const FAKE_TERRAFORM = '#!/bin/sh\necho "fake terraform: destroyed $# resources"\necho "$*" >> "$PWD/marker-terraform"\n';

describe('guarded terminal in the workbench', () => {
  let workbench: Workbench;
  let dir: string;

  before(async () => {
    const { server, workspace, extensionPath } = session();
    dir = mkdtempSync(path.join(server.runDir, 'ui-guarded-'));
    mkdirSync(path.join(dir, 'bin'));
    writeFileSync(path.join(dir, 'bin', 'terraform'), FAKE_TERRAFORM, { mode: 0o755 });
    workbench = await openWorkbench(server, { folder: workspace, extensionDevelopmentPath: extensionPath });
  });

  after(async () => {
    await workbench?.close();
  });

  it('pauses terraform destroy, shows the banner, runs it after Approve is clicked', async () => {
    const { page } = workbench;
    await runCommand(page, 'Countersign: New Guarded Terminal');
    // An allowed line runs at once: put the fake terraform first on PATH and work in the scratch folder.
    await typeInTerminal(page, `cd ${dir} && export PATH="${dir}/bin:$PATH"`);
    await typeInTerminal(page, 'terraform destroy');

    await waitForTerminalText(page, /paused: terraform destroy/);
    assert.match(await dialogText(page), /terraform destroy/);
    assert.equal(existsSync(path.join(dir, 'marker-terraform')), false, 'nothing ran while paused');
    await screenshot(page, 'paused');

    await clickDialogButton(page, 'Approve');
    await waitForTerminalText(page, /fake terraform: destroyed 1 resources/);
    assert.equal(existsSync(path.join(dir, 'marker-terraform')), true);
    await screenshot(page, 'approved');
  });

  it('denies when the notification is dismissed: the line never runs', async () => {
    const { page } = workbench;
    const marker = path.join(dir, 'marker-terraform');
    const before = readFileSync(marker, 'utf8');
    await typeInTerminal(page, 'terraform destroy -auto-approve');
    await dialogText(page);
    await page.keyboard.press('Escape');
    await waitForTerminalText(page, /denied: terraform destroy -auto-approve/);
    assert.equal(readFileSync(marker, 'utf8'), before, 'the dismissed line did not run');
  });

  it('denies on a reflexive Enter: Deny is the focused button, Approve needs a click', async () => {
    const { page } = workbench;
    const marker = path.join(dir, 'marker-terraform');
    const before = readFileSync(marker, 'utf8');
    await typeInTerminal(page, 'terraform destroy -target=aws_db_instance.main');
    await dialogText(page);
    await page.keyboard.press('Enter');
    await waitForTerminalText(page, /denied: terraform destroy -target=aws_db_instance.main/);
    assert.equal(readFileSync(marker, 'utf8'), before, 'the line denied by Enter did not run');
  });
});
