import assert from 'node:assert/strict';
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
});
