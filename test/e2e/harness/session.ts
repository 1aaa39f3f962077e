import type { CodeServer } from './codeServer';

/** What test/e2e/run.ts hands to the UI specs it runs: the shared server and the workspace it opened. */
export interface E2eSession {
  server: CodeServer;
  workspace: string;
  extensionPath: string;
}

let current: E2eSession | undefined;

export function setSession(session: E2eSession | undefined): void {
  current = session;
}

/** The running session; UI specs only run under test/e2e/run.ts (npm run test:vscode). */
export function session(): E2eSession {
  if (!current) throw new Error('UI specs run through test/e2e/run.ts (npm run test:vscode), which starts code-server');
  return current;
}
