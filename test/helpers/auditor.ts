import { GateAuditor } from '../../src/core/audit/gateAuditor';
import type { AuditLog } from '../../src/node/audit/auditLog';

/** A gate auditor writing to `log`, with every write it starts kept so a test can await them all. */
export function auditorWritingTo(gate: ConstructorParameters<typeof GateAuditor>[0], log: AuditLog, onError: (error: unknown) => void): { auditor: GateAuditor; writes: Promise<unknown>[] } {
  const writes: Promise<unknown>[] = [];
  const auditor = new GateAuditor(
    gate,
    (entry) => {
      const written = log.append(entry);
      writes.push(written);
      return written;
    },
    onError,
  );
  return { auditor, writes };
}
