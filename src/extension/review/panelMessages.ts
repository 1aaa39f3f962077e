/**
 * The host's first and only reading of what the panel sends: an IPC envelope, a method that is one
 * of the protocol's commands or requests, params that pass its validator. Anything else is dropped
 * with a reason for the log. No vscode import, so it is unit-tested in Node.
 */
import { FROM_PANEL, readEnvelope, type IpcMessage } from '../../core/review/protocol';
import { err, ok, type Result } from '../../core/result';

/** The message with its params replaced by the validated value, or why it was refused. */
export function readPanelMessage(data: unknown): Result<IpcMessage> {
  const envelope = readEnvelope(data);
  if (!envelope) return err('not an IPC message');
  const type = FROM_PANEL.find((t) => t.is(envelope));
  if (!type) return err(`unknown method ${JSON.stringify(envelope.method)}`);
  const checked = type.validate(envelope.params);
  if (!checked.ok) return err(`${type.method}: ${checked.error}`);
  return ok({ id: envelope.id, method: type.method, params: checked.value });
}
