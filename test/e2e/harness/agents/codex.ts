import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessDir } from '../paths';

/**
 * The real OpenAI Codex CLI, offline: a private HOME and CODEX_HOME whose config.toml names the
 * scripted model (codexModel.ts) as a custom provider, and `codex exec` with approvals and the sandbox
 * off, so each command the model asks for runs as Codex runs it for a person who allowed everything.
 */
export const CODEX_VERSION = '0.169.0';

const installDir = join(harnessDir, 'agents', 'codex');
const binary = join(installDir, 'node_modules', '.bin', 'codex');

/** The installed codex, or why it is not there (test/e2e/install.sh puts it there). */
export function installedCodex(): { readonly binary: string } | { readonly missing: string } {
  return existsSync(join(installDir, `.installed-${CODEX_VERSION}`)) && existsSync(binary)
    ? { binary }
    : { missing: `the real Codex CLI ${CODEX_VERSION} is not installed in ${installDir}; run test/e2e/install.sh` };
}

/** The variable config.toml's `env_key` names; Codex wants a key there, the scripted model ignores it. */
const KEY_VARIABLE = 'COUNTERSIGN_SCRIPTED_MODEL_KEY';

/**
 * Writes `<home>/.codex/config.toml` for the scripted model at `baseUrl` and returns the environment
 * Codex runs with: HOME and CODEX_HOME private, the key variable set, retries off so a broken script
 * fails at once. Everything else comes from `base` (PATH above all: what the command finds).
 */
export function codexEnvironment(home: string, baseUrl: string, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const codexHome = join(home, '.codex');
  mkdirSync(codexHome, { recursive: true });
  writeFileSync(
    join(codexHome, 'config.toml'),
    [
      'model = "scripted"',
      'model_provider = "scripted"',
      '',
      '[model_providers.scripted]',
      'name = "Scripted model"',
      `base_url = ${JSON.stringify(baseUrl)}`,
      'wire_api = "responses"',
      `env_key = "${KEY_VARIABLE}"`,
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  return { ...base, HOME: home, CODEX_HOME: codexHome, [KEY_VARIABLE]: 'offline' };
}

/** The argv of one non-interactive Codex turn that may run anything without asking. */
export function codexExecArgs(prompt: string): string[] {
  return ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', prompt];
}

export interface CodexResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one `codex exec` turn with stdin closed; resolves when Codex has exited. */
export function runCodex(codex: string, prompt: string, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Promise<CodexResult> {
  const child = spawn(codex, codexExecArgs(prompt), { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
