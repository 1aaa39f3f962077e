/**
 * A window's gate as a door reaches it: its socket and token. Apart from the advertisements
 * (advertise.ts), so a door told the address by its environment loads nothing more to find it.
 */
export interface GateAddress {
  readonly socketPath: string;
  readonly token: string;
}

/** The variables the extension sets in every VS Code terminal, so a process started there reaches its window's gate. */
export const GATE_SOCKET_ENV = 'COUNTERSIGN_GATE_SOCKET';
export const GATE_TOKEN_ENV = 'COUNTERSIGN_GATE_TOKEN';

/** The gate named by the environment (GATE_SOCKET_ENV and GATE_TOKEN_ENV), when both are set. */
export function gateFromEnvironment(env: Readonly<Record<string, string | undefined>>): GateAddress | undefined {
  const socketPath = env[GATE_SOCKET_ENV];
  const token = env[GATE_TOKEN_ENV];
  return socketPath && token ? { socketPath, token } : undefined;
}
