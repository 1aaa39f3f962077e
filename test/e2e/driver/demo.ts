import type { Page } from 'playwright-core';
import { clickPrompt, runCommand, terminalText, waitUntil } from './workbench';

/**
 * "Countersign: Try the Demo", then Enter on the `terraform destroy` it types, as a person would.
 * Returns the terminal's screen once it says the line is paused.
 */
export async function pauseTheDemo(page: Page, timeoutMs = 30_000): Promise<string> {
  await runCommand(page, 'Countersign: Try the Demo');
  await waitUntil('terraform destroy typed at the prompt', async () => /terraform destroy\s*$/.test(await terminalText(page)), timeoutMs);
  await clickPrompt(page);
  await page.keyboard.press('Enter');
  return waitUntil('the pause in the terminal', async () => {
    const text = await terminalText(page);
    return /paused: terraform destroy/.test(text) ? text : undefined;
  });
}
