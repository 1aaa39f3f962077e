// Child of faultsInjected.test.ts: a window's gate in a process of its own (the extension host), its
// socket in the folder argv[2]. Prints {socketPath, token, advertisement} when it listens, then
// `pending <command>` for each request it pauses and `log <message>` for what the window would write
// to its output channel; a person never answers, so a request waits until the process dies.
// Options: --audit FILE writes the audit trail there as the window does (its pauses too), after
// reporting what an earlier window left waiting; --advertise FOLDER advertises the gate for FOLDER in
// the per-user runtime folder, kept as the window keeps it. SIGTERM closes it as a window closes.
import { GateAuditor } from '../../../../src/core/audit/gateAuditor';
import { createGate } from '../../../../src/core/gate/gate';
import { AuditLog } from '../../../../src/node/audit/auditLog';
import { reportStoppedRequests } from '../../../../src/node/audit/unsettled';
import { advertiseGate } from '../../../../src/node/socket/advertise';
import { startGateServer } from '../../../../src/node/socket/gateServer';
import { getEngine } from '../../../helpers/engine';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

async function main(): Promise<void> {
  const log = (message: string): void => console.log(`log ${message}`);
  const gate = createGate(await getEngine());
  const auditPath = option('--audit');
  if (auditPath) {
    const file = await AuditLog.open(auditPath);
    const auditor = new GateAuditor(gate, (entry) => file.append(entry), (error) => log(`audit: could not write a record: ${String(error)}`), process.pid);
    const { message } = await reportStoppedRequests(file.path, (entry) => auditor.recordStopped(entry.id));
    if (message) log(`audit: ${message}`);
  }
  gate.onDidSubmit((event) => {
    if (event.verdict.verdict === 'pause') console.log(`pending ${event.request.command}`);
  });
  const server = await startGateServer(gate, { dir: process.argv[2], log });
  const workspace = option('--advertise');
  const advertisement = workspace ? advertiseGate(workspace, server.socketPath, server.token, undefined, { log, everyMs: 200 }) : undefined;
  process.on('SIGTERM', () => {
    advertisement?.dispose();
    void server.dispose().then(() => process.exit(0));
  });
  console.log(JSON.stringify({ socketPath: server.socketPath, token: server.token, advertisement: advertisement?.file }));
}

void main();
