// Child of faultsInjected.test.ts, run with a file-size limit (ulimit -f): appends audit records to
// the log at argv[2] until a write fails, then tries once more. Prints what was acknowledged (each
// append that resolved) and both errors, as one JSON line.
import { AuditLog } from '../../../../src/node/audit/auditLog';

async function main(): Promise<void> {
  const log = await AuditLog.open(process.argv[2]);
  const acknowledged: string[] = [];
  let failed = '';
  for (let i = 0; i < 10_000 && !failed; i++) {
    const id = `req-${i}`;
    await log.append({ kind: 'exit', id, exitCode: 0 }).then(
      () => acknowledged.push(id),
      (error: Error) => (failed = error.message),
    );
  }
  const after = await log.append({ kind: 'exit', id: 'after', exitCode: 0 }).then(
    () => 'written',
    (error: Error) => error.message,
  );
  console.log(JSON.stringify({ acknowledged, failed, after }));
}

void main();
