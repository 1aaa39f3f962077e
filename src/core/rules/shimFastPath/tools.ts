import type { Rule } from '../types';

/** A name a launcher file can have: rules also name `*` (every tool) and `>` (the engine's redirects). */
const TOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Tools that rules name but that get no PATH shim, and why. */
export const NOT_SHIMMED: readonly { readonly tools: readonly string[]; readonly why: string }[] = [
  {
    tools: ['history', 'set'],
    why: 'shell builtins: a shell never looks them up on PATH, so a launcher would never run',
  },
  {
    tools: ['node', 'nodejs', 'bun', 'deno', 'python', 'python2', 'python3', 'pypy', 'pypy3', 'ruby', 'perl', 'php', 'lua', 'tclsh', 'Rscript', 'rscript', 'java', 'osascript', 'pwsh', 'powershell'],
    why:
      'interpreters: they start every script and npm bin (`#!/usr/bin/env node`), and a call names a script first, which no ' +
      'rule data can vouch for, so every call would pay a Node start. What their rules catch (`python manage.py flush`, a ' +
      'download piped into python) stays caught on the lines the guarded terminal and the agent hooks check, not in child processes',
  },
  {
    tools: ['cp', 'mv', 'ln', 'install', 'tee', 'sed', 'tar', 'bsdtar', 'unzip', '7z', '7za', '7zr', '7zz', 'gzip', 'gunzip', 'bzip2', 'bunzip2', 'xz', 'unxz', 'zstd', 'unzstd', 'lz4'],
    why:
      'hot in builds and configure scripts (thousands of calls), where even the fast path would add a shell start to each; ' +
      'their rules are about Terraform state files, which the state guard watches as files (a swapped or overwritten state ' +
      'holds terraform in its folder until reviewed), and about devices, which dd and the disk tools cover',
  },
  {
    tools: ['gcp', 'gmv', 'gln', 'ginstall', 'grm', 'gfind', 'gsed', 'gtar'],
    why: 'GNU names that scripts probe with `command -v` to pick GNU tools on macOS: a launcher would answer yes where there is no such tool',
  },
];

const EXCLUDED = new Set(NOT_SHIMMED.flatMap((e) => e.tools));

/** Windows scripts (`kafka-topics.bat`): the shims are POSIX sh. */
const WINDOWS_SCRIPT = /\.(?:bat|cmd|exe|ps1)$/i;

/** Every tool `rules` name that gets a shim, sorted. */
export function shimToolsFor(rules: readonly Rule[]): string[] {
  const tools = new Set(rules.flatMap((r) => r.tools));
  return [...tools].filter((t) => TOOL_NAME.test(t) && !EXCLUDED.has(t) && !WINDOWS_SCRIPT.test(t)).sort();
}
