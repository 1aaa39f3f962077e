import type { CodeServer } from './codeServer';

/** What test/e2e/run.ts (or installed.ts) hands to the specs it runs: the shared server and the workspace it opened. */
export interface E2eSession {
  server: CodeServer;
  workspace: string;
  /** The extension under development; absent when the extension is installed from its VSIX (test:vsix). */
  extensionPath?: string;
}

let current: E2eSession | undefined;

export function setSession(session: E2eSession | undefined): void {
  current = session;
}

/** The running session; UI specs run under test/e2e/run.ts (npm run test:vscode), smoke specs under test/e2e/installed.ts (npm run test:vsix). */
export function session(): E2eSession {
  if (!current) throw new Error('UI specs run through test/e2e/run.ts (npm run test:vscode) or test/e2e/installed.ts (npm run test:vsix), which start code-server');
  return current;
}
