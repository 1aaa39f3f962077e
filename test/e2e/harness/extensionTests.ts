import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser } from './browser';
import type { CodeServer } from './codeServer';

export interface ExtensionTestRun {
  folder: string;
  extensionDevelopmentPath: string;
  /** The compiled runner module; VS Code calls its run() in the extension host. */
  extensionTestsPath: string;
  timeoutMs?: number;
  screenshot?: string;
}

/**
 * The workbench's own start-up log and harmless offline noise (gallery look-ups, missing .vscode/*.json)
 * arrive through the same channel as the extension host's console; VERBOSE=1 shows them.
 */
const noise = new RegExp(
  [
    'ENOTFOUND', 'ERR_NAME_NOT_RESOLVED', 'Error while resolving configuration file', 'queryRawGalleryExtensions',
    '^Resolv(ing|ed) connection token', '^Creating a socket', '^\\[reconnection-grace-time\\]', '^Updating additional builtin extensions',
    '^\\[Service Worker\\]', '^\\[AgentHost', '^\\[AccountPolicyGate\\]', '^Creation of workbench contribution',
  ].join('|'),
);

/**
 * Runs the suite inside code-server's real Node extension host. The server starts an extension host
 * only for a connected workbench, so a headless Chromium opens one with the `payload` URL parameter;
 * the workbench reports the extension host's console through window.codeAutomationLog and the result
 * of run() through window.codeAutomationExit. Returns that exit code (2 on timeout).
 */
export async function runExtensionTests(server: CodeServer, run: ExtensionTestRun): Promise<number> {
  const browser = await launchBrowser(path.join(server.runDir, 'tmp'));
  const { page } = browser;
  try {
    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = format(...(args ?? []));
      if (process.env.VERBOSE || !noise.test(text)) (type === 'error' ? process.stderr : process.stdout).write(text + '\n');
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (error) => console.error(`[workbench] ${error.message}`));
    const timeoutMs = run.timeoutMs ?? 900_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(2), timeoutMs)));
    let settled = false;
    const died = server.exited.then((code) => {
      if (!settled) console.error(`code-server exited (${code}) during the test run; see ${server.logFile}`);
      return 3;
    });
    await page.goto(server.workbenchUrl(run));
    const code = await Promise.race([finished, timedOut, died]);
    settled = true;
    clearTimeout(timer);
    if (code === 2) console.error(`the extension tests did not finish within ${timeoutMs / 1000} s`);
    if (run.screenshot) await page.screenshot({ path: run.screenshot }).catch(() => undefined);
    return code;
  } finally {
    await browser.close();
  }
}
