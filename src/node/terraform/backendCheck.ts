/**
 * Local against remote, for one working directory: reads the backend `terraform init` recorded, the
 * selected workspace and the local state file, pulls the backend's state (read-only), and compares
 * them with the state Countersign last recorded (src/core/terraform/remoteCheck.ts judges).
 */
import { readFile, stat } from 'node:fs/promises';
import {
  defaultLocalStatePath,
  MAX_BACKEND_FILE_CHARS,
  readBackendConfig,
  selectedWorkspace,
  stateLocation,
  workingDirectoryFiles,
  type StateLocation,
} from '../../core/terraform/backendConfig';
import { checkLocalAgainstRemote, readStateText, type BackendRead, type RemoteCheck, type StateRead } from '../../core/terraform/remoteCheck';
import type { StateSummary } from '../../core/terraform/types';
import { errorMessage } from '../../core/errorMessage';
import { MAX_STATE_BYTES, pullState } from './statePull';

export interface BackendCheckOptions {
  /** The working directory, absolute (after any `-chdir`). */
  readonly dir: string;
  /** The environment the command would run with: TF_WORKSPACE, TF_DATA_DIR and the backend's credentials count. */
  readonly env: NodeJS.ProcessEnv;
  /** `terraform` or `tofu` (a name or a path); `terraform` by default. */
  readonly binary?: string;
  /** The last state Countersign recorded for what this directory's backend holds (asked once the backend is known). */
  readonly baseline?: StateSummary | ((location: StateLocation, backend: BackendRead) => Promise<StateSummary | undefined>);
  /** For `state pull` (default 20 s). */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Whether the state here, the backend's and the recorded one agree; never throws for what it reads. */
export async function checkLocalAgainstBackend(options: BackendCheckOptions): Promise<RemoteCheck> {
  const { dir, env } = options;
  const files = workingDirectoryFiles(dir, env.TF_DATA_DIR);
  const [backendFile, environmentFile] = await Promise.all([readBounded(files.backendFile, MAX_BACKEND_FILE_CHARS), readBounded(files.environmentFile, MAX_BACKEND_FILE_CHARS)]);
  const workspace = selectedWorkspace(env.TF_WORKSPACE, textOf(environmentFile));
  // TF_WORKSPACE, when set, makes the recorded workspace irrelevant.
  const unread = [backendFile, env.TF_WORKSPACE ? undefined : environmentFile].find(isProblem);
  const location: StateLocation = unread ? { kind: 'unknown', reason: unread.problem } : stateLocation(readBackendConfig(textOf(backendFile)), dir, workspace);
  const localPath = defaultLocalStatePath(dir, workspace);
  const [local, backend] = await Promise.all([
    readBounded(localPath, MAX_STATE_BYTES),
    pullState({ dir, env, binary: options.binary, timeoutMs: options.timeoutMs, signal: options.signal }),
  ]);
  const localRead: StateRead = local.kind === 'problem' ? { kind: 'unreadable', reason: local.problem } : readStateText(textOf(local));
  const baseline = typeof options.baseline === 'function' ? await options.baseline(location, backend) : options.baseline;
  return checkLocalAgainstRemote({ location, localFile: { path: localPath, read: localRead }, backend, ...(baseline ? { baseline } : {}) });
}

type FileRead = { readonly kind: 'absent' } | { readonly kind: 'text'; readonly text: string } | { readonly kind: 'problem'; readonly problem: string };

const isProblem = (read: FileRead | undefined): read is Extract<FileRead, { kind: 'problem' }> => read?.kind === 'problem';

function textOf(read: FileRead): string | undefined {
  return read.kind === 'text' ? read.text : undefined;
}

/** A file's text, unless it is absent, not a regular file, larger than `maxBytes`, or unreadable. */
async function readBounded(file: string, maxBytes: number): Promise<FileRead> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { kind: 'problem', problem: `${file} is not a regular file.` };
    if (info.size > maxBytes) return { kind: 'problem', problem: `${file} is larger than the ${maxBytes.toLocaleString('en')} bytes Countersign reads.` };
    return { kind: 'text', text: await readFile(file, 'utf8') };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'problem', problem: `${file} cannot be read: ${errorMessage(error)}` };
  }
}
