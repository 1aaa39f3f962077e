import { readFileSync } from 'node:fs';
import { msSince } from './stats';

/**
 * Loads the peer checker, cc-safety-net (the npm package of claude-code-safety-net), in-process.
 *
 * Its package.json exports `./api` (ESM only, dist/api.js + dist/api.d.ts) with
 * `checkCommand({ command, cwd }): { kind: 'allow' } | { kind: 'deny'; reason; ruleId? }`, the
 * library entry its hooks share for a command line. The shapes below mirror that .d.ts; they are
 * declared here because the repo's `moduleResolution: node10` does not read `exports` maps, so the
 * package's own types cannot be imported. Nothing of its code is copied.
 */
export type PeerResult = { readonly kind: 'allow' } | { readonly kind: 'deny'; readonly reason: string; readonly ruleId?: string };

interface PeerApi {
  checkCommand(input: { readonly command: string; readonly cwd: string }): PeerResult;
}

export interface Peer {
  readonly label: string;
  /** How it is called, for the printout. */
  readonly how: string;
  readonly loadMs: number;
  check(command: string): PeerResult;
}

export type PeerLoad = { readonly ok: true; readonly peer: Peer } | { readonly ok: false; readonly reason: string };

const PACKAGE = 'cc-safety-net';
const API = `${PACKAGE}/api`;

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0]}`;
  return String(error);
}

export async function loadPeer(cwd: string): Promise<PeerLoad> {
  let version = '?';
  try {
    const manifest = JSON.parse(readFileSync(require.resolve(`${PACKAGE}/package.json`), 'utf8')) as { version?: string };
    version = manifest.version ?? '?';
  } catch (error) {
    return { ok: false, reason: `${PACKAGE} is not installed where Node can resolve it (${describe(error)})` };
  }

  const start = process.hrtime.bigint();
  let api: Partial<PeerApi>;
  try {
    // A non-literal specifier keeps tsc (node10 resolution) from looking for types it cannot find.
    const specifier: string = API;
    api = (await import(specifier)) as Partial<PeerApi>;
  } catch (error) {
    return { ok: false, reason: `import('${API}') failed: ${describe(error)}` };
  }
  const loadMs = msSince(start);
  const checkCommand = api.checkCommand;
  if (typeof checkCommand !== 'function') {
    return { ok: false, reason: `'${API}' (v${version}) has no exported checkCommand function` };
  }

  // One probe call, so an unusable API is reported as such rather than timed.
  try {
    const probe = checkCommand({ command: 'ls', cwd });
    if (probe?.kind !== 'allow' && probe?.kind !== 'deny') {
      return { ok: false, reason: `checkCommand returned an unexpected shape: ${JSON.stringify(probe)}` };
    }
  } catch (error) {
    return { ok: false, reason: `checkCommand({ command: 'ls', cwd }) threw ${describe(error)}` };
  }

  return {
    ok: true,
    peer: {
      label: `${PACKAGE} ${version}`,
      how: `checkCommand({ command, cwd }) from '${API}'`,
      loadMs,
      check: (command) => checkCommand({ command, cwd }),
    },
  };
}
