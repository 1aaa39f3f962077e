// Runs in the extension host as the extension-tests module of bench/activation.ts. Waits until the
// extensions being measured are active, then reads VS Code's own activation times from the
// "Developer: Startup Performance" document (its "Extension Activation Stats" table) and writes them,
// as JSON, to the file named by COUNTERSIGN_BENCH_OUT, with the time Countersign's runtime took to start
// after activation (the first id in COUNTERSIGN_BENCH_EXTENSIONS is Countersign).
const { writeFileSync } = require('node:fs');
const vscode = require('vscode');

const TIMEOUT_MS = 60_000;

async function until(what, probe) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Rows of the markdown table under `heading`, as arrays of trimmed cells (header and rule dropped). */
function tableAfter(text, heading) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.replace(/^#+\s*/, '') === heading);
  if (start < 0) return [];
  const rows = [];
  for (const line of lines.slice(start + 1)) {
    if (rows.length > 0 && !line.startsWith('|')) break;
    if (line.startsWith('|')) rows.push(line.split('|').slice(1, -1).map((cell) => cell.trim()));
  }
  return rows.slice(2);
}

async function run() {
  const ids = (process.env.COUNTERSIGN_BENCH_EXTENSIONS ?? '').split(',').filter(Boolean);
  for (const id of ids) {
    await until(`${id} to be active`, () => vscode.extensions.getExtension(id)?.isActive);
  }
  // Countersign's runtime starts after activation; it reports how long that took.
  const started = await vscode.extensions.getExtension(ids[0]).exports.ready;
  await vscode.commands.executeCommand('perfview.show');
  const text = await until('the startup performance document', () => {
    const doc = vscode.workspace.textDocuments.find((d) => d.getText().includes('Extension Activation Stats'));
    return doc?.getText();
  });
  // Columns: Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By
  const times = {};
  for (const [id, eager, loadCode, callActivate, finishActivate, event] of tableAfter(text, 'Extension Activation Stats')) {
    if (ids.includes(id)) times[id] = { eager: eager === 'true', loadCode: Number(loadCode), callActivate: Number(callActivate), finishActivate: Number(finishActivate), event };
  }
  writeFileSync(process.env.COUNTERSIGN_BENCH_OUT, JSON.stringify({ times, runtimeStartMs: started.startupMs }));
}

module.exports = { run };
