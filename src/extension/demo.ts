import { chmod, cp, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import type { Registry } from './lateRegistry';
import { showGuardedTerminal } from './terminal/terminalProfile';
import type { GuardedTerminals } from './terminal/terminals';

export const TRY_DEMO_COMMAND = 'countersign.tryDemo';
const DEMO_TERMINAL = 'Countersign demo';
/** Typed into the demo terminal without Enter: pressing Enter is the person's own step. */
const DEMO_LINE = 'terraform destroy';

/** What the command returns: the terminal, and the fresh copy of the demo workspace it runs in. */
export interface DemoSession {
  readonly terminal: vscode.Terminal;
  readonly folder: string;
}

/**
 * "Try the demo": a guarded terminal in a fresh copy of the extension's demo/ folder, with the demo's
 * stand-in terraform (canned output, touches nothing) first on PATH and `terraform destroy` typed in.
 * A fresh copy each time, so nothing an earlier try left behind changes what this one shows.
 */
export function registerDemoCommand(registry: Registry, context: vscode.ExtensionContext, terminals: GuardedTerminals): vscode.Disposable {
  return registry.registerCommand(TRY_DEMO_COMMAND, async (): Promise<DemoSession> => {
    const folder = await copyDemo(context.asAbsolutePath('demo'), join(context.globalStorageUri.fsPath, 'demo'));
    const terminal = showGuardedTerminal(terminals, {
      cwd: folder,
      // PROMPT_DIRTRIM: bash's \w in the usual prompts shows `.../run-XXXX`, not the ~120-character storage path
      env: { PATH: `${join(folder, 'bin')}${delimiter}\${env:PATH}`, PROMPT_DIRTRIM: '1' },
      name: DEMO_TERMINAL,
    });
    terminal.sendText(DEMO_LINE, false);
    void vscode.window.showInformationMessage(
      `Countersign demo: "${DEMO_LINE}" is typed in the terminal "${terminal.name}". Press Enter there and it pauses for your review. ` +
        'The terraform in that terminal is a stand-in that prints canned output and touches nothing, so approving is safe too.',
    );
    return { terminal, folder };
  });
}

/** Copies older than this are removed when a new one is made; a demo terminal open longer is unlikely. */
const KEEP_COPIES_MS = 24 * 60 * 60 * 1000;

/**
 * Copies `source` into a new folder under `parent` and returns it. The stand-in is made executable
 * again: unpacking a VSIX may drop the bit. Copies from earlier days are removed first, so tries do
 * not pile up in the extension's storage.
 */
export async function copyDemo(source: string, parent: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  await removeOldCopies(parent, Date.now() - KEEP_COPIES_MS);
  const folder = await mkdtemp(join(parent, 'run-'));
  await cp(source, folder, { recursive: true });
  await chmod(join(folder, 'bin', 'terraform'), 0o755);
  return folder;
}

async function removeOldCopies(parent: string, before: number): Promise<void> {
  for (const name of await readdir(parent)) {
    const copy = join(parent, name);
    if (name.startsWith('run-') && (await stat(copy)).mtimeMs < before) await rm(copy, { recursive: true, force: true });
  }
}
