import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateCountersign } from './support';

describe('activation', () => {
  it('activates, starts the runtime, and every contributed command has a handler', async () => {
    const api = await activateCountersign();
    const extension = vscode.extensions.getExtension('countersign.countersign');
    assert.equal(extension?.isActive, true);
    const contributed = (extension?.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command).sort();
    assert.deepEqual([...api.handledCommands].sort(), contributed);
    const registered = await vscode.commands.getCommands(true);
    for (const id of contributed) assert.ok(registered.includes(id), `${id} is registered with VS Code`);
  });
});
