import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from './child';

interface Answer {
  readonly verdict: string;
  readonly error?: string;
  readonly findings: readonly { readonly ruleId: string }[];
}

describe('robustness: countersign check --jsonl', () => {
  it('answers every input line in order: a blank line gets a pause with an error instead of shifting later answers', function () {
    this.timeout(30_000);
    const input = `${['{"command":"ls"}', '', '{"command":"terraform destroy"}', '   ', '{"command":"git status"}', ''].join('\n')}\n`;
    const r = runCli(['check', '--jsonl'], { input });
    const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Answer);
    assert.deepEqual(
      answers.map((a) => a.verdict),
      ['allow', 'pause', 'pause', 'pause', 'allow', 'pause'],
    );
    assert.match(answers[1].error ?? '', /^input line 2: a blank line/);
    assert.equal(answers[2].findings[0].ruleId, 'terraform.destroy');
    assert.match(answers[3].error ?? '', /^input line 4: a blank line/);
    assert.match(answers[5].error ?? '', /^input line 6: a blank line/);
    assert.equal(r.status, 2, 'a bad input line makes the exit code 2');
  });

  it('pauses a command holding a NUL with a finding that says so', function () {
    this.timeout(30_000);
    const r = runCli(['check', '--jsonl'], { input: `${JSON.stringify({ command: 'ls\u0000; rm -rf ~' })}\n${JSON.stringify({ command: 'ls' })}\n` });
    const [nul, ls] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Answer);
    assert.equal(nul.verdict, 'pause');
    assert.deepEqual(
      nul.findings.map((f) => f.ruleId),
      ['core.nul-character'],
    );
    assert.equal(ls.verdict, 'allow');
    assert.equal(r.status, 1);
  });

  it('is paced by its reader: while nobody reads its answers it stops reading questions, and then answers them all', async function () {
    this.timeout(60_000);
    const lines = 60_000;
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', '..', 'src', 'cli', 'main.ts'), 'check', '--jsonl'], { stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.pause();
    // 60,000 questions (1.2 MB) ask for ≈2.4 MB of answers, far beyond what the pipes hold: with nobody
    // reading, a CLI that kept reading would take them all in and hold the answers in memory.
    let accepted = false;
    child.stdin.end('{"command":"ls"}\n'.repeat(lines), () => (accepted = true));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // A CLI that read on would hang here with its answers unread: it must not outlive a failed test.
    if (accepted) child.kill('SIGKILL');
    assert.equal(accepted, false, 'the questions are held back while the answers are not read');
    let answered = 0;
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const text = partial + chunk;
      answered += text.split('\n').length - 1;
      partial = text.slice(text.lastIndexOf('\n') + 1);
    });
    child.stdout.resume();
    await new Promise((resolve) => child.on('close', resolve));
    assert.equal(accepted, true);
    assert.equal(answered, lines, 'every question answered once read');
  });
});
