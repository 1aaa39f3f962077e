import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Real terraform in `dir`, without prompts or the network's version check. */
export function terraformIn(dir: string, ...args: string[]): Buffer {
  return execFileSync('terraform', args, { cwd: dir, env: { ...process.env, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' }, stdio: 'pipe' });
}

/** Whether terraform is on PATH: the real-Terraform specs skip without it. */
export function hasTerraform(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A stack of `count` terraform_data resources (no provider to download), initialised and applied for
 * real; `backend` is an optional backend block. Returns the folder.
 */
export function appliedStack(dir: string, count: number, backend = ''): string {
  mkdirSync(dir, { recursive: true });
  const resources = Array.from({ length: count }, (_, i) => `resource "terraform_data" "r${i}" {\n  input = "${path.basename(dir)}-${i}"\n}\n`).join('\n');
  writeFileSync(path.join(dir, 'main.tf'), `${backend ? `terraform {\n${backend}\n}\n\n` : ''}${resources}`);
  terraformIn(dir, 'init', '-input=false', '-no-color');
  terraformIn(dir, 'apply', '-auto-approve', '-input=false', '-no-color');
  return dir;
}

export const resourceCount = (state: string): number => (JSON.parse(readFileSync(state, 'utf8')) as { resources: unknown[] }).resources.length;
