/**
 * Which state a terraform/tofu command in a working directory reads and writes: the backend that
 * `terraform init` recorded in `<data dir>/terraform.tfstate` (`{"version":3,"backend":{"type":...,
 * "config":{...},"hash":...}}`), the selected workspace, and for the local backend the file it uses.
 * Pure: it takes the files' text and returns data, and never throws on bad input. Only the backend's
 * type and the local backend's paths are kept: the rest of the config can hold credentials.
 */
import { isRecord } from '../json';
import { joinPath, normalizePath } from '../engine/recipes';

/** What `init` writes is a few hundred bytes; anything this large is not one. */
export const MAX_BACKEND_FILE_CHARS = 1024 * 1024;

/** The only backend-file format Terraform and OpenTofu read (they refuse any other). */
const BACKEND_FILE_VERSION = 3;

const DEFAULT_WORKSPACE = 'default';
const DEFAULT_DATA_DIR = '.terraform';
const STATE_FILE = 'terraform.tfstate';
const DEFAULT_WORKSPACE_DIR = 'terraform.tfstate.d';

export type BackendConfig =
  /** The local backend, implied (no backend block) or configured; a path is as written, relative to the working directory. */
  | { readonly kind: 'local'; readonly path?: string; readonly workspaceDir?: string }
  /** Any other backend (`s3`, `http`, `cloud`, ...): the state is not in this directory. */
  | { readonly kind: 'remote'; readonly type: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Where the state of this directory's selected workspace lives. */
export type StateLocation =
  /** The local backend's file for this workspace is the one the default local backend would use here. */
  | { readonly kind: 'local-here'; readonly statePath: string }
  /** The local backend, at a configured path or workspace_dir: the file here is not the one terraform uses. */
  | { readonly kind: 'local-elsewhere'; readonly statePath: string }
  | { readonly kind: 'remote'; readonly backendType: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The files terraform keeps about a working directory, under TF_DATA_DIR (relative to the directory) or `.terraform`. */
export function workingDirectoryFiles(dir: string, tfDataDir: string | undefined): { readonly backendFile: string; readonly environmentFile: string } {
  const dataDir = normalizePath(joinPath(dir, tfDataDir || DEFAULT_DATA_DIR));
  return { backendFile: joinPath(dataDir, STATE_FILE), environmentFile: joinPath(dataDir, 'environment') };
}

/** The backend recorded by `init`; no file (undefined) is the implied local backend. */
export function readBackendConfig(text: string | undefined): BackendConfig {
  if (text === undefined) return { kind: 'local' };
  const unreadable = (why: string): BackendConfig => ({ kind: 'unreadable', reason: `The backend file terraform init wrote ${why}; run terraform init again.` });
  if (text.length > MAX_BACKEND_FILE_CHARS) return unreadable(`is larger than ${MAX_BACKEND_FILE_CHARS} characters, so it is not one`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return unreadable('is not JSON');
  }
  if (!isRecord(doc)) return unreadable('is not a JSON object');
  if (doc.version === undefined) return unreadable('has no format version');
  if (doc.version !== BACKEND_FILE_VERSION) return unreadable(`has format version ${JSON.stringify(doc.version)}, not ${BACKEND_FILE_VERSION}`);
  const backend = doc.backend;
  // Terraform reads a missing or empty backend as the implied local one.
  if (backend === undefined || backend === null || (isRecord(backend) && backend.type === '')) return { kind: 'local' };
  if (!isRecord(backend) || typeof backend.type !== 'string') return unreadable('names no backend type');
  if (backend.type !== 'local') return { kind: 'remote', type: backend.type };
  const config = backend.config ?? {};
  if (!isRecord(config)) return unreadable('has a local backend config that is not an object');
  const path = optionalPath(config.path);
  const workspaceDir = optionalPath(config.workspace_dir);
  if (path === null || workspaceDir === null) return unreadable('has a local backend path that is not text');
  return { kind: 'local', ...(path ? { path } : {}), ...(workspaceDir ? { workspaceDir } : {}) };
}

/** undefined when unset (absent, null or ''), null when not text. */
function optionalPath(value: unknown): string | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : null;
}

/** The workspace terraform selects: TF_WORKSPACE when set, else the one `workspace select` recorded, else `default`. */
export function selectedWorkspace(tfWorkspace: string | undefined, environmentFile: string | undefined): string {
  if (tfWorkspace) return tfWorkspace;
  return environmentFile?.trim() || DEFAULT_WORKSPACE;
}

/** The file the default local backend would use for `workspace` in `dir` (an absolute directory). */
export function defaultLocalStatePath(dir: string, workspace: string): string {
  return localStatePath(dir, workspace, {});
}

/** Where `workspace`'s state lives for `config`, with local paths made absolute against `dir`. */
export function stateLocation(config: BackendConfig, dir: string, workspace: string): StateLocation {
  if (config.kind === 'unreadable') return { kind: 'unknown', reason: config.reason };
  if (config.kind === 'remote') return { kind: 'remote', backendType: config.type };
  // Terraform refuses names that are not one path segment; one here would point outside the workspace folder.
  if (['', '.', '..'].includes(workspace) || /[/\\\0]/.test(workspace)) return { kind: 'unknown', reason: `The workspace name ${JSON.stringify(workspace)} is not one terraform accepts.` };
  const statePath = localStatePath(dir, workspace, config);
  return { kind: statePath === defaultLocalStatePath(dir, workspace) ? 'local-here' : 'local-elsewhere', statePath };
}

/** The local backend's rule: `path` is the default workspace's file; other workspaces live in `<workspace_dir>/<name>/`. */
function localStatePath(dir: string, workspace: string, config: { readonly path?: string; readonly workspaceDir?: string }): string {
  const relative = workspace === DEFAULT_WORKSPACE ? (config.path ?? STATE_FILE) : joinPath(joinPath(config.workspaceDir ?? DEFAULT_WORKSPACE_DIR, workspace), STATE_FILE);
  return normalizePath(joinPath(dir, relative));
}
