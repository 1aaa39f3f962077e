import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { cleanEnv, runDirLayout } from './codeServer';
import { codeServerEntry, node24 } from './paths';

export interface InstalledExtension {
  /** publisher.name, as VS Code names it. */
  id: string;
  version: string;
  /** The folder the VSIX was unpacked into. */
  dir: string;
}

interface ExtensionsJsonEntry {
  identifier: { id: string };
  version: string;
  location: { fsPath: string };
}

/**
 * Installs a VSIX the way a person does, with code-server's own CLI (`--install-extension`): it unpacks
 * the VSIX into the run's extensions folder and records it in extensions.json, where a server started
 * on the same run folder (startCodeServer) finds it. Returns the entry code-server recorded.
 */
export function installVsix(vsix: string, runDir: string): InstalledExtension {
  const { dirs, config } = runDirLayout(runDir);
  const args = [codeServerEntry, '--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--install-extension', path.resolve(vsix)];
  const result = spawnSync(node24, args, { env: { ...cleanEnv(), HOME: dirs.home, TMPDIR: dirs.tmp }, encoding: 'utf8' });
  const output = `${result.stdout}${result.stderr}`.trim();
  if (result.status !== 0 || !/was successfully installed/.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (${result.status ?? result.signal}):\n${output}`);
  }
  const entries = JSON.parse(readFileSync(path.join(dirs.extensions, 'extensions.json'), 'utf8')) as ExtensionsJsonEntry[];
  if (entries.length !== 1) throw new Error(`expected one extension in ${dirs.extensions}, found ${entries.length}`);
  const [{ identifier, version, location }] = entries;
  return { id: identifier.id, version, dir: location.fsPath };
}

/**
 * Installs the extension folder `dir` (its package.json names it) as a user's extensions are laid out,
 * a folder `<publisher>.<name>-<version>` in `extensionsDir`, here a symlink: it then loads without the
 * smoke-test payload, in an ordinary window. Returns its id, publisher.name.
 */
export function linkAsInstalled(dir: string, extensionsDir: string): string {
  const { publisher, name, version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  mkdirSync(extensionsDir, { recursive: true });
  symlinkSync(dir, path.join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');
  return `${publisher}.${name}`;
}
