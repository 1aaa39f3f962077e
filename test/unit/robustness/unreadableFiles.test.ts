import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Verdict } from '../../../src/core';
import { nodeFileReader } from '../../../src/node/fileReader';
import { readIfExists } from '../../../src/node/readIfExists';
import { check, expectAllow, expectPause } from '../../helpers/engine';
import { runCli, runNode, source } from './child';

/**
 * Recipe files the engine reads (Makefile, package.json) and the files the extension reads with
 * readIfExists. A FIFO is only ever opened in a child process killed at a deadline: before the fix
 * the open blocked for good, and in this process it would hang the whole run instead of failing.
 */

function project(): string {
  return mkdtempSync(join(tmpdir(), 'countersign-unreadable-'));
}

function fifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}

/** `countersign check --json` in a child; the verdict, or a failure that says it hung. */
function checkInChild(dir: string, line: string): Verdict {
  const r = runCli(['check', '--json', '--cwd', dir, '--', line], { timeoutMs: 15_000 });
  assert.ok(!r.timedOut, `checking "${line}" hung on a read`);
  assert.equal(r.status, 1, r.stderr);
  return JSON.parse(r.stdout) as Verdict;
}

function expectUnknownRecipe(v: Verdict, reason: RegExp): void {
  assert.equal(v.verdict, 'pause');
  const finding = v.findings.find((f) => f.ruleId === 'core.unknown-recipe');
  assert.ok(finding, `core.unknown-recipe among ${v.findings.map((f) => f.ruleId).join(', ')}`);
  assert.match(finding.detail ?? '', reason);
}

describe('robustness: recipe and settings files that are there but not read', function () {
  this.timeout(30_000);

  describe('a FIFO is refused at once, never waited on', () => {
    it('a FIFO named Makefile makes `make build` unknown (pause)', () => {
      const dir = project();
      fifo(join(dir, 'Makefile'));
      expectUnknownRecipe(checkInChild(dir, 'make build'), /Makefile \(it is a FIFO, not a regular file\)/);
    });

    it('a FIFO named package.json makes `npm run build` unknown (pause)', () => {
      const dir = project();
      fifo(join(dir, 'package.json'));
      expectUnknownRecipe(checkInChild(dir, 'npm run build'), /package\.json \(it is a FIFO, not a regular file\)/);
    });

    it('a FIFO in place of the workspace policy is reported, and the check goes on with the built-in rules', () => {
      const dir = project();
      mkdirSync(join(dir, '.countersign'));
      const policy = fifo(join(dir, '.countersign', 'policy.json'));
      const r = runCli(['check', '--cwd', dir, '--', 'ls'], { timeoutMs: 15_000 });
      assert.ok(!r.timedOut, 'reading the policy hung');
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /the built-in rules still apply.*policy\.json: it is a FIFO, not a regular file/);
      const named = runCli(['check', '--cwd', dir, '--policy', policy, '--', 'ls'], { timeoutMs: 15_000 });
      assert.ok(!named.timedOut, 'reading the named policy hung');
      assert.equal(named.status, 2, 'a named policy that cannot be read is an error');
    });

    it('readIfExists rejects a FIFO instead of waiting for a writer', () => {
      const path = fifo(join(project(), 'settings.json'));
      const script = `require(${source('node/readIfExists')}).readIfExists(${JSON.stringify(path)}, 'utf8').then(() => process.stdout.write('read'), (e) => process.stdout.write(e.message));`;
      const r = runNode(['-e', script], { timeoutMs: 15_000 });
      assert.ok(!r.timedOut, 'readIfExists hung on a FIFO');
      assert.match(r.stdout, /settings\.json: it is a FIFO, not a regular file/);
    });
  });

  describe('over the reader’s size cap, or not a file', () => {
    it('a package.json over 1 MiB makes its script unknown (pause), not missing (allow)', async () => {
      const dir = project();
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { build: 'tsc' }, padding: 'x'.repeat(1024 * 1024) }));
      expectUnknownRecipe(await check('npm run build', { cwd: dir, reader: nodeFileReader }), /package\.json \(it is larger than 1,048,576 bytes\)/);
    });

    it('a folder named Makefile makes the recipe unknown (pause)', async () => {
      const dir = project();
      mkdirSync(join(dir, 'Makefile'));
      expectUnknownRecipe(await check('make build', { cwd: dir, reader: nodeFileReader }), /it is a folder, not a regular file/);
    });

    it('a Makefile that links to a regular file is read; no Makefile at all is still missing', async () => {
      const dir = project();
      writeFileSync(join(dir, 'real.mk'), 'clean:\n\tterraform destroy -auto-approve\n');
      symlinkSync('real.mk', join(dir, 'Makefile'));
      await expectPause('make clean', 'terraform.destroy', { cwd: dir, reader: nodeFileReader });
      await expectAllow('make build', { cwd: project(), reader: nodeFileReader });
    });

    it('readIfExists: the contents of a regular file, undefined for no file, an error for a folder', async () => {
      const dir = project();
      writeFileSync(join(dir, 'a.json'), '{}');
      assert.equal(await readIfExists(join(dir, 'a.json'), 'utf8'), '{}');
      assert.deepEqual(await readIfExists(join(dir, 'a.json')), Buffer.from('{}'));
      assert.equal(await readIfExists(join(dir, 'missing.json'), 'utf8'), undefined);
      await assert.rejects(readIfExists(dir, 'utf8'), /it is a folder, not a regular file/);
    });
  });
});
