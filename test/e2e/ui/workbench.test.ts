// Smoke test of the UI driver against the real workbench: the command palette runs an extension
// command, a terminal takes typed input and shows its output, a webview's frame is found.
import * as assert from 'node:assert/strict';
import { suiteWorkbench } from '../driver/suiteWorkbench';
import { answerInputBox, findWebviewFrame, openFile, runCommand, screenshot, typeInTerminal, waitForNotification, waitForTerminalText } from '../driver/workbench';

describe('workbench driver', function () {
  const suite = suiteWorkbench();

  it('runs an extension command from the palette and reads its notification', async () => {
    await runCommand(suite.page, 'Countersign: Check a Command Line', { opensQuickInput: true });
    await answerInputBox(suite.page, 'terraform destroy -auto-approve');
    const toast = await waitForNotification(suite.page, /would pause/);
    assert.match(await toast.innerText(), /terraform destroy -auto-approve would pause \(\w+\)/);
  });

  it('types into a terminal and reads the output from the xterm DOM', async () => {
    await runCommand(suite.page, 'Terminal: Create New Terminal');
    await typeInTerminal(suite.page, 'echo driver-$((40+2))');
    // The output line, not the echoed command line (which reads `echo driver-$((40+2))`; keys typed
    // before the first prompt is drawn may interleave with it, so only the output is asserted).
    await waitForTerminalText(suite.page, /^driver-42\s*$/m);
    await screenshot(suite.page, 'ui-terminal');
  });

  it('finds the frame of a webview (the Markdown preview)', async () => {
    await openFile(suite.page, 'README.md');
    await runCommand(suite.page, 'Markdown: Open Preview');
    const frame = await findWebviewFrame(suite.page, 'h1');
    assert.equal(await frame.textContent('h1'), 'Countersign demo workspace');
    await screenshot(suite.page, 'ui-webview');
  });
});
