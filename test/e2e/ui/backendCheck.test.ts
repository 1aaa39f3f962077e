// Local against remote, with real Terraform 1.11 in the real workbench: a stack whose `local` backend
// keeps its state at another path (the real one, six resources), and a different stack's state dropped
// into the folder as `terraform.tfstate` (what an agent swapping files would do). Terraform ignores that
// file; an agent's next `state push` or a backend change would not. `terraform destroy -auto-approve`
// typed in a guarded terminal pauses, and its card shows the conflict as critical with both sides.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import * as path from 'node:path';
import { session } from '../harness/session';
import { appliedStack, hasTerraform } from '../driver/realTerraform';
import { cardFor } from '../driver/standInTerraform';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { runCommand, typeInTerminal, waitForTerminalText, waitUntil } from '../driver/workbench';

describe('local against remote: a state file beside a backend that holds the real one', function () {
  this.timeout(180_000);
  const suite = suiteWorkbench();
  let stack: string;

  before(function () {
    if (!hasTerraform()) {
      console.log('      skipped: no terraform on PATH');
      this.skip();
    }
    const root = mkdtempSync(path.join(session().workspace, 'backend-'));
    stack = appliedStack(path.join(root, 'prod'), 6, '  backend "local" {\n    path = "../real/terraform.tfstate"\n  }');
    const other = appliedStack(path.join(root, 'other'), 2);
    copyFileSync(path.join(other, 'terraform.tfstate'), path.join(stack, 'terraform.tfstate'));
  });

  it('shows the conflict on the destroy card as critical, with the backend and the local file side by side', async () => {
    const { page } = suite;
    await runCommand(page, 'Countersign: New Guarded Terminal');
    await typeInTerminal(page, `cd ${stack}`);
    await typeInTerminal(page, 'terraform destroy -auto-approve');
    await waitForTerminalText(page, /paused: terraform destroy -auto-approve/);
    const { card } = await cardFor(page, 'terraform destroy -auto-approve');
    const backend = card.locator('[data-field=backend]');
    await waitUntil('the backend check to finish', async () => (await backend.getAttribute('data-status').catch(() => null)) === 'conflict', 60_000);
    const text = await backend.innerText();
    assert.match(text, /The state here and its backend disagree/);
    assert.match(text, /Terraform keeps this folder’s state in a local file at .*real\/terraform\.tfstate/);
    assert.match(await backend.locator('.state-compare').innerText(), /Resources\s+6\s+2/, 'the backend holds six, the file here two');
    assert.match(await card.locator('[data-field=headline]').innerText(), /Destroys 6 /, 'the plan is made against the backend');
    assert.match(await card.locator('header').first().innerText(), /critical/i, 'the card is critical');
    assert.match(await card.locator('[data-field=phrase-reasons]').innerText(), /the state here and its backend's disagree/);
    await card.locator('vscode-button[data-action=deny]').click();
    await waitForTerminalText(page, /denied/i);
  });
});
