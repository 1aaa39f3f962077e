import { resolve } from 'node:path';
import type { PendingRequest } from '../../core/gate/types';
import type { StateLocation } from '../../core/terraform/backendConfig';
import type { BackendRead, RemoteCheck } from '../../core/terraform/remoteCheck';
import { stateWriterFor } from '../../core/terraform/stateWriters';
import type { StateSummary } from '../../core/terraform/types';
import { checkLocalAgainstBackend } from './backendCheck';

export interface BackendCheckerOptions {
  readonly timeoutMs: () => number;
  /** The command's environment (the door's, else its terminal's): the backend's credentials and TF_WORKSPACE are in it. */
  readonly env: (pending: PendingRequest) => Promise<NodeJS.ProcessEnv>;
  /** What the state guard recorded for a state file, when it tracks that file. */
  readonly trackedBaseline: (path: string) => Promise<StateSummary | undefined>;
  readonly defaultCwd: () => string;
}

/** Compares, before a paused command that may write state runs, the state in its folder with its backend's. */
export interface BackendChecker {
  /** Undefined when the request writes no terraform state in a folder known before it runs. */
  start(pending: PendingRequest, signal: AbortSignal): { readonly label: string; readonly result: Promise<RemoteCheck> } | undefined;
}

export function createBackendChecker(options: BackendCheckerOptions): BackendChecker {
  /**
   * The latest state each remote backend held when it was found consistent, by folder and lineage:
   * the baseline a later pull is compared with (a serial going backwards), for as long as the window lives.
   */
  const seenRemote = new Map<string, StateSummary>();
  return {
    start(pending, signal) {
      const writer = stateWriterFor(pending.verdict);
      if (!writer) return undefined;
      const dir = resolve(pending.request.cwd ?? options.defaultCwd(), writer.cwd, writer.chdir ?? '.');
      const remoteKey = (backend: BackendRead): string | undefined => (backend.kind === 'state' ? `${dir}\0${backend.state.lineage}` : undefined);
      const baseline = async (location: StateLocation, backend: BackendRead): Promise<StateSummary | undefined> => {
        if (location.kind === 'local-here' || location.kind === 'local-elsewhere') return options.trackedBaseline(location.statePath);
        const key = remoteKey(backend);
        return key === undefined ? undefined : seenRemote.get(key);
      };
      const result = options.env(pending).then(async (env) => {
        const check = await checkLocalAgainstBackend({ dir, env: { ...env, ...writer.env }, binary: writer.binary, baseline, timeoutMs: options.timeoutMs(), signal });
        const key = remoteKey(check.backend);
        if (check.status === 'consistent' && key !== undefined && check.backend.kind === 'state') seenRemote.set(key, check.backend.state);
        return check;
      });
      return { label: `${writer.tool} state pull`, result };
    },
  };
}
