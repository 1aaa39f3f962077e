// The entry VS Code loads: it registers what must exist from the first moment (every contributed
// command, the guarded-shell profile, the status-bar kill switch) and loads the runtime (dist/
// runtime.js: the engine, the gate, the doors, the panel) right after activate() returns. A command
// or a guarded terminal asked for meanwhile waits for it. Keeping this file small keeps activation
// short: VS Code loads and runs it before the window's other extensions go on.
import * as vscode from 'vscode';
import { errorMessage } from '../core/errorMessage';
import { CHECK_PROTECTION_COMMAND, KILL_SWITCH_COMMAND, NEW_GUARDED_TERMINAL_COMMAND, PROFILE_ID, REARM_COMMAND, SHOW_REVIEW_COMMAND } from './ids';
import { LateRegistry } from './lateRegistry';
import type { CountersignApi, EntryParts } from './runtime';
import { CountersignStatusBar } from './statusBar';

export type { CountersignApi } from './runtime';

/** What activate() returns: the runtime's API once it has started (tests decide through its gate). */
export interface CountersignExports {
  readonly ready: Promise<StartedApi>;
}

/** The API, with how long the runtime took to start after activation (for bench/activation.ts). */
export type StartedApi = CountersignApi & { readonly startupMs: number };

interface Contributions {
  readonly commands?: readonly { readonly command: string }[];
}

export function activate(context: vscode.ExtensionContext): CountersignExports {
  const output = vscode.window.createOutputChannel('Countersign');
  const statusBar = new CountersignStatusBar({
    engage: KILL_SWITCH_COMMAND,
    rearm: REARM_COMMAND,
    review: SHOW_REVIEW_COMMAND,
    checkProtection: CHECK_PROTECTION_COMMAND,
    newGuardedTerminal: NEW_GUARDED_TERMINAL_COMMAND,
  });
  let started!: (api: Promise<StartedApi>) => void;
  const ready = new Promise<StartedApi>((resolve) => (started = resolve));
  const contributes = (context.extension.packageJSON as { contributes?: Contributions }).contributes;
  const registry = new LateRegistry(
    (contributes?.commands ?? []).map((c) => c.command),
    [PROFILE_ID],
    ready,
  );
  // A failed start is reported in startRuntime and by every command that waits for it.
  ready.catch(() => undefined);
  context.subscriptions.push(output, statusBar, registry);
  // After activate() has returned, so loading the runtime is not part of activation.
  setImmediate(() => started(startRuntime(context, { output, statusBar, registry })));
  return { ready };
}

async function startRuntime(context: vscode.ExtensionContext, parts: EntryParts): Promise<StartedApi> {
  const began = performance.now();
  try {
    const { start } = await import('./runtime');
    const api = await start(context, parts);
    const startupMs = performance.now() - began;
    parts.output.appendLine(`Countersign started in ${startupMs.toFixed(0)} ms: every door is open.`);
    return { ...api, startupMs };
  } catch (error) {
    // Nothing can be gated without the runtime: say so where the person looks, and fail every door.
    const message = errorMessage(error);
    parts.output.appendLine(`Countersign could not start: ${message}`);
    parts.statusBar.failed(message);
    throw error;
  }
}
