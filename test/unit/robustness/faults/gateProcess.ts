// Child of faultsInjected.test.ts: a window's gate in a process of its own (the extension host), its
// socket in the folder argv[2]. Prints {socketPath, token} when it listens, then `pending <command>`
// for each request it pauses; a person never answers, so a request waits until the process dies.
import { createGate } from '../../../../src/core/gate/gate';
import { startGateServer } from '../../../../src/node/socket/gateServer';
import { getEngine } from '../../../helpers/engine';

async function main(): Promise<void> {
  const gate = createGate(await getEngine());
  gate.onDidSubmit((event) => {
    if (event.verdict.verdict === 'pause') console.log(`pending ${event.request.command}`);
  });
  const server = await startGateServer(gate, { dir: process.argv[2], log: () => undefined });
  console.log(JSON.stringify({ socketPath: server.socketPath, token: server.token }));
}

void main();
