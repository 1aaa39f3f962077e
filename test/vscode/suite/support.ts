import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PendingRequest } from '../../../src/core/gate/types';
import type { CountersignApi, CountersignExports } from '../../../src/extension/extension';
import { type Probe, waitFor as poll } from '../../helpers/waitFor';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shared poll, 20 s by default: the extension host and the terminals it starts are slower than a unit test. */
export function waitFor<T>(what: string, probe: Probe<T>, timeoutMs = 20_000): Promise<T> {
  return poll(what, probe, timeoutMs);
}

/** The extension under test, activated; its API is how these tests decide what only a person decides in the product. */
export async function activateCountersign(): Promise<CountersignApi> {
  const extension = vscode.extensions.getExtension<CountersignExports>('countersign.countersign');
  assert.ok(extension, 'countersign.countersign is loaded');
  return (await extension.activate()).ready;
}

/**
 * A stand-in for terraform: says what it was asked and leaves a marker where it ran. The panel's
 * read-only preview (`plan -out=…`, `show`) fails here, which leaves a paused request for the test to
 * decide; the read-only backend check (`state pull`) finds no state, as real terraform does with none.
 */
export const FAKE_TERRAFORM =
  '#!/bin/sh\ncase "$*" in "plan -out="*|show*) echo "fake terraform: no preview" >&2; exit 1;; "state pull") exit 0;; esac\necho "fake terraform: $*"\necho "$*" >> "$PWD/marker-terraform"\n';

/** A fresh scratch folder with `bin/terraform` (the stand-in above) to put first on a terminal's PATH. */
export function scratchWithTerraform(prefix: string): { root: string; bin: string } {
  const root = realpathSync(mkdtempSync(path.join(process.env.COUNTERSIGN_TEST_SCRATCH ?? tmpdir(), `${prefix}-`)));
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'terraform'), FAKE_TERRAFORM, { mode: 0o755 });
  return { root, bin };
}

/** A guarded terminal opened by the extension's command in `cwd`, with `bin` (the stand-in terraform) first on its PATH. */
export async function openGuardedTerminal(cwd: string, bin: string): Promise<vscode.Terminal> {
  const terminal = await vscode.commands.executeCommand<vscode.Terminal>('countersign.newGuardedTerminal', {
    cwd,
    env: { PATH: `${bin}:\${env:PATH}` },
  });
  assert.ok(terminal, 'the command returns the terminal');
  return terminal;
}

/** The request the gate holds for exactly `command`, once it has paused. */
export function pausedRequest(api: CountersignApi, command: string): Promise<PendingRequest> {
  return waitFor(`a paused request for "${command}"`, () => api.gate.pending().find((p) => p.request.command === command));
}

/**
 * A suite's guarded terminals, each in its own folder under one scratch root with the stand-in
 * terraform first on PATH; dispose() closes them and removes the root.
 */
export class GuardedTerminalScratch {
  private readonly terminals: vscode.Terminal[] = [];

  constructor(
    readonly root: string,
    private readonly bin: string,
  ) {}

  static create(prefix: string): GuardedTerminalScratch {
    const { root, bin } = scratchWithTerraform(prefix);
    return new GuardedTerminalScratch(root, bin);
  }

  /** A guarded terminal in the fresh folder `name`; `marker` is where the stand-in says it ran. */
  async open(name: string): Promise<{ terminal: vscode.Terminal; cwd: string; marker: string }> {
    const cwd = path.join(this.root, name);
    mkdirSync(cwd);
    const terminal = await openGuardedTerminal(cwd, this.bin);
    this.track(terminal);
    return { terminal, cwd, marker: path.join(cwd, 'marker-terraform') };
  }

  /** Closes `terminal` with the others (one the test opened another way). */
  track(terminal: vscode.Terminal): void {
    this.terminals.push(terminal);
  }

  dispose(): void {
    for (const terminal of this.terminals) terminal.dispose();
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** The terminal's shell integration once VS Code has started it (undefined after 10 s without). */
export async function shellIntegrationOf(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
  return (
    terminal.shellIntegration ??
    new Promise<vscode.TerminalShellIntegration | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 10_000);
      const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(e.shellIntegration);
      });
    })
  );
}

/** The hook program the extension's own launcher runs (the thin client): what a suite installs agent hooks with. */
export function extensionHookProgram(): string {
  const extension = vscode.extensions.getExtension('countersign.countersign');
  assert.ok(extension, 'the extension under test is loaded');
  return path.join(extension.extensionPath, 'dist', 'hook.js');
}
