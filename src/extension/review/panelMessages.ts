/**
 * The host's first and only reading of what the panel sends: an IPC envelope, a method that is one
 * of the protocol's commands, params that pass that command's validator. Anything else is dropped
 * with a reason for the log. No vscode import, so it is unit-tested in Node.
 */
import { COMMANDS, readEnvelope, type IpcMessage } from '../../core/review/protocol';
import { err, ok, type Result } from '../../core/result';

/** The message with its params replaced by the validated value, or why it was refused. */
export function readCommand(data: unknown): Result<IpcMessage> {
  const envelope = readEnvelope(data);
  if (!envelope) return err('not an IPC message');
  const command = COMMANDS.find((c) => c.is(envelope));
  if (!command) return err(`unknown command ${JSON.stringify(envelope.method)}`);
  const checked = command.validate(envelope.params);
  if (!checked.ok) return err(`${command.method}: ${checked.error}`);
  return ok({ id: envelope.id, method: command.method, params: checked.value });
}
