import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('activation', () => {
  it('activates the extension and registers countersign.checkCommand', async () => {
    const extension = vscode.extensions.getExtension('countersign.countersign');
    assert.ok(extension, 'countersign.countersign is loaded');
    await extension.activate();
    assert.equal(extension.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('countersign.checkCommand'), 'countersign.checkCommand is registered');
  });
});
