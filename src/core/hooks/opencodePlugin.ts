import type { ConfigEdit } from './configEdit';
import { HOOK_TIMEOUT_SECONDS, LAUNCHER_SUBPATH } from './hookLauncher';
import { OPENCODE_EVENT, OPENCODE_OWN_TOOLS, OPENCODE_SHELL_TOOL } from './opencodeProtocol';

/**
 * Countersign's opencode plugin, the door of an agent with no hook file. opencode loads every
 * `.js`/`.ts` file in a project's `.opencode/plugins/` at start (and `$XDG_CONFIG_HOME/opencode/plugins/`
 * for every project); a `tool.execute.before` that throws blocks the call, and the model is told the
 * error's message (measured with 1.18.33). The project folder keeps the door per workspace.
 *
 * opencode is a Bun binary and loads plugins in its own runtime: the plugin is plain JavaScript that
 * needs nothing but Node's built-ins (Bun's `node:child_process` runs the launcher; measured). Like the
 * other agents' entries it names no path of this machine, so a team may commit it: it runs the per-user
 * hook launcher (hookLauncher.ts) and blocks when that is missing, fails, hangs or answers anything
 * but Countersign's answer — opencode itself would run a call whose plugin hook never returns.
 */
export const OPENCODE_PLUGIN_FILE = '.opencode/plugins/countersign.js';

/** The plugin's first line: a file that starts with it is ours, whatever version wrote it. */
const MARKER = "// Countersign's opencode plugin.";

/** Past the launcher's own deadline, whose block comes first; opencode waits for a plugin without limit. */
const DEADLINE_SECONDS = HOOK_TIMEOUT_SECONDS - 5;

/** Far more than any answer; what a runaway launcher writes past it is dropped. */
const MAX_OUTPUT_CHARS = 64 * 1024;

/** Bounds the one line a failure tells opencode, as malformedAnswer does the CLI's. */
const MAX_REASON_CHARS = 300;

/** The plugin's source: an ES module, Node built-ins only. */
export function opencodePluginSource(): string {
  return `${MARKER} "Countersign: Install Agent Hooks in This Workspace" writes it and
// "Uninstall Agent Hooks" removes it; edits are lost at the next install. Before opencode runs a shell
// command or an MCP server's tool, it asks Countersign through the per-user hook launcher
// (\${XDG_DATA_HOME:-~/.local/share}/${LAUNCHER_SUBPATH} opencode) and throws, which blocks the call,
// unless Countersign lets it run; also when the launcher is missing, fails, hangs or gives no answer.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const OWN_TOOLS = new Set(${JSON.stringify(OPENCODE_OWN_TOOLS)});
const DEADLINE_SECONDS = ${DEADLINE_SECONDS};
const MAX_OUTPUT_CHARS = ${MAX_OUTPUT_CHARS};

export const CountersignPlugin = async ({ directory }) => ({
  ${JSON.stringify(OPENCODE_EVENT)}: async (input, output) => {
    if (input.tool !== ${JSON.stringify(OPENCODE_SHELL_TOOL)} && OWN_TOOLS.has(input.tool)) return;
    await ask({ event: ${JSON.stringify(OPENCODE_EVENT)}, tool: input.tool, args: output.args, directory });
  },
});

function ask(request) {
  const launcher = join(process.env.XDG_DATA_HOME || join(process.env.HOME || homedir(), '.local', 'share'), ${JSON.stringify(LAUNCHER_SUBPATH)});
  try {
    accessSync(launcher, constants.X_OK);
  } catch {
    throw cannotCheck(\`no launcher at \${launcher}: open VS Code with the Countersign extension, or remove ${OPENCODE_PLUGIN_FILE}\`);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(launcher, ['opencode'], { cwd: request.directory, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    const collect = (stream) => (text) => {
      if (out[stream].length < MAX_OUTPUT_CHARS) out[stream] += text;
    };
    child.stdout.setEncoding('utf8').on('data', collect('stdout'));
    child.stderr.setEncoding('utf8').on('data', collect('stderr'));
    const timer = setTimeout(() => {
      child.kill('SIGTERM'); // the launcher takes the CLI with it
      reject(cannotCheck(\`it did not answer within \${DEADLINE_SECONDS} s\`));
    }, DEADLINE_SECONDS * 1000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(cannotCheck(\`its launcher \${launcher} could not be started (\${error.message})\`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = lastLine(out.stderr);
      if (signal) return reject(cannotCheck(\`its launcher was killed by \${signal}\`));
      // Exit 2 is the launcher's or the CLI's own block, its reason on stderr.
      if (code === 2) return reject(new Error(said.startsWith('countersign: ') ? said : \`countersign: blocked: \${said || 'no reason given'}\`));
      if (code !== 0) return reject(cannotCheck(\`its launcher failed (exit \${code})\${said ? \`: \${said}\` : ''}\`));
      let answer;
      try {
        answer = JSON.parse(out.stdout);
      } catch {
        answer = undefined;
      }
      if (answer?.decision === 'allow' || answer?.decision === 'no-decision') return resolve();
      if (answer?.decision === 'deny' && typeof answer.reason === 'string') return reject(new Error(\`countersign: blocked: \${answer.reason}\`));
      reject(cannotCheck(\`its answer is not Countersign's: \${JSON.stringify(out.stdout.slice(0, 120))}\`));
    });
    child.stdin.on('error', () => undefined); // a launcher that exits without reading is judged by its answer
    child.stdin.end(JSON.stringify(request));
  });
}

function cannotCheck(why) {
  return new Error(oneLine(\`countersign: blocked: Countersign cannot check this call: \${why}\`));
}

function lastLine(text) {
  return oneLine(text.split('\\n').map((line) => line.trim()).filter(Boolean).pop() ?? '');
}

function oneLine(text) {
  const line = text.replace(/[\\s\\p{Cc}]+/gu, ' ').trim();
  return line.length > ${MAX_REASON_CHARS} ? \`\${line.slice(0, ${MAX_REASON_CHARS - 3})}...\` : line;
}
`;
}

/** Writes the plugin, or brings an older one of ours up to date; a file of that name that is not ours is left alone. */
export function installOpencodePlugin(text: string | undefined): ConfigEdit {
  const source = opencodePluginSource();
  if (text === source) return { kind: 'unchanged' };
  if (text !== undefined && !isOurPlugin(text)) return { kind: 'refused', reason: "it is not Countersign's plugin" };
  return { kind: 'write', text: source };
}

/** Deletes our plugin, whatever version wrote it; anything else stays. */
export function uninstallOpencodePlugin(text: string | undefined): ConfigEdit {
  return text !== undefined && isOurPlugin(text) ? { kind: 'delete', text: '' } : { kind: 'unchanged' };
}

function isOurPlugin(text: string): boolean {
  return text.startsWith(MARKER);
}
