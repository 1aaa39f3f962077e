import { GATE_PORT_ENV } from '../core/hooks/hookRelayProtocol';
import { pathWithoutShims } from './shims/shimDir';
import { GATE_SOCKET_ENV, GATE_TOKEN_ENV } from './socket/advertise';

const GATE_VARIABLES = new Set([GATE_SOCKET_ENV, GATE_TOKEN_ENV, GATE_PORT_ENV]);

/**
 * The environment Countersign's own tool runs get (plan previews, backups and their checks): the
 * command's, without the gate's variables or the shim folder on PATH, so that its own clients (a
 * backup's DROP DATABASE of its scratch copy) are not paused by itself, and cannot reach the gate.
 */
export function ownToolEnv(base: NodeJS.ProcessEnv, keep: (name: string) => boolean = () => true): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined && !GATE_VARIABLES.has(name) && keep(name)) env[name] = value;
  if (env.PATH !== undefined) env.PATH = pathWithoutShims(env.PATH);
  return env;
}
