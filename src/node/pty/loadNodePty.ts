import { join } from 'node:path';

type NodePty = typeof import('node-pty');

/**
 * node-pty is native. VS Code ships a copy built for its own Electron, so the extension needs no native
 * build of its own: use that copy first, then the extension's optional dependency (tests, the CLI,
 * a VS Code without one).
 */
export function loadNodePty(appRoot?: string): NodePty {
  const candidates = appRoot
    ? [join(appRoot, 'node_modules', 'node-pty'), join(appRoot, 'node_modules.asar.unpacked', 'node-pty')]
    : [];
  const failures: string[] = [];
  for (const candidate of [...candidates, 'node-pty']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the paths exist only at run time; a bundler must leave them alone
      return require(candidate) as NodePty;
    } catch (error) {
      failures.push(`${candidate}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`node-pty could not be loaded (${failures.join('; ')})`);
}
