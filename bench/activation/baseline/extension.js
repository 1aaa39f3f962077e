// The baseline extension: an output channel, a command and a status-bar item, the registrations every
// extension with a status-bar presence makes before it does any work of its own.
const vscode = require('vscode');

function activate(context) {
  const output = vscode.window.createOutputChannel('Activation baseline');
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left);
  item.text = '$(shield) baseline';
  item.show();
  context.subscriptions.push(output, item, vscode.commands.registerCommand('countersignBench.baseline', () => output.show()));
}

module.exports = { activate };
