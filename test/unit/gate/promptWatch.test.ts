import assert from 'node:assert/strict';
import { confirmationAtEnd, PromptWatch } from '../../../src/core/gate/promptWatch';

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';

/** What the tools print, as the terminal receives it: colour codes, and LF turned into CRLF by the tty. */
function confirmation(query: string, description: readonly string[], colour = true): string {
  const [b, r] = colour ? [BOLD, RESET] : ['', ''];
  const text = `${r}${b}\n${query}${r}\n` + description.map((d) => `  ${d}\n`).join('') + '\n' + `  ${b}Enter a value:${r} `;
  return text.replace(/\n/g, '\r\n') + r;
}

const PLAN = 'Plan: 0 to add, 0 to change, 2 to destroy.\r\n\r\nChanges to Outputs:\r\n  - url = "https://example.com" -> null\r\n';
const DESTROY = confirmation('Do you really want to destroy all resources?', [
  'Terraform will destroy all your managed infrastructure, as shown above.',
  "There is no undo. Only 'yes' will be accepted to confirm.",
]);
const DESTROY_WS = confirmation('Do you really want to destroy all resources in workspace "prod"?', [
  'Terraform will destroy all your managed infrastructure, as shown above.',
  "There is no undo. Only 'yes' will be accepted to confirm.",
]);
const APPLY = confirmation('Do you want to perform these actions?', ['Terraform will perform the actions described above.', "Only 'yes' will be accepted to approve."]);
const TOFU_APPLY_WS = confirmation('Do you want to perform these actions in workspace "staging-eu"?', [
  'OpenTofu will perform the actions described above.',
  "Only 'yes' will be accepted to approve.",
]);

function watchAll(chunks: readonly string[]) {
  const watch = new PromptWatch();
  let last;
  for (const chunk of chunks) last = watch.feed(chunk);
  return last;
}

describe('prompt watch', () => {
  it('sees the destroy and apply prompts of Terraform and OpenTofu, with and without a workspace', () => {
    assert.deepEqual(watchAll([PLAN, DESTROY]), { action: 'destroy', question: 'Do you really want to destroy all resources?' });
    assert.deepEqual(watchAll([PLAN + DESTROY_WS]), {
      action: 'destroy',
      workspace: 'prod',
      question: 'Do you really want to destroy all resources in workspace "prod"?',
    });
    assert.deepEqual(watchAll([APPLY]), { action: 'apply', question: 'Do you want to perform these actions?' });
    assert.deepEqual(watchAll([TOFU_APPLY_WS]), {
      action: 'apply',
      workspace: 'staging-eu',
      question: 'Do you want to perform these actions in workspace "staging-eu"?',
    });
  });

  it('reads the -no-color form and an odd workspace name', () => {
    const plain = confirmation('Do you really want to destroy all resources in workspace "a\\"b c"?', ['Terraform will destroy …', 'There is no undo.'], false);
    assert.equal(watchAll([plain])?.workspace, 'a\\"b c');
  });

  it('finds the prompt however the output is cut, colour codes included, and never before it is complete', () => {
    const stream = PLAN + DESTROY;
    for (let i = 1; i < stream.length; i++) {
      assert.equal(watchAll([stream.slice(0, i), stream.slice(i)])?.action, 'destroy', `cut at ${i}`);
    }
    const watch = new PromptWatch();
    const promptAt = stream.lastIndexOf('Enter a value:') + 'Enter a value:'.length;
    for (let i = 0; i < stream.length; i++) {
      const seen = watch.feed(stream[i]);
      assert.equal(seen !== undefined, i >= promptAt - 1, `after character ${i}`);
    }
  });

  it('stays at the prompt while the answer is echoed, and leaves it at the newline', () => {
    const watch = new PromptWatch();
    const prompt = watch.feed(PLAN + DESTROY);
    assert.ok(prompt);
    assert.equal(watch.feed('y'), prompt);
    assert.equal(watch.feed('es'), prompt, 'the same prompt, not a new one');
    assert.equal(watch.current, prompt);
    assert.equal(watch.feed('\r\n'), undefined);
    assert.equal(watch.feed('\r\nyandex_vpc_subnet.a: Destroying... [id=e2l]\r\n'), undefined);
    assert.equal(watch.current, undefined);
  });

  it('Ctrl-C at the prompt (the tool prints a newline) leaves it', () => {
    const watch = new PromptWatch();
    assert.ok(watch.feed(APPLY));
    assert.equal(watch.feed('^C\r\n'), undefined);
  });

  it('ignores the same "Enter a value:" when it asks for a variable', () => {
    const variable = 'var.region\r\n  The AWS region to deploy into.\r\n\r\n  \x1b[1mEnter a value:\x1b[0m ';
    assert.equal(watchAll([variable]), undefined);
    assert.equal(watchAll([DESTROY, 'yes\r\n', variable]), undefined, 'a later variable prompt is not the earlier question');
  });

  it('ignores a question too far above the prompt, or a transcript that was only printed', () => {
    const far = 'Do you want to perform these actions?\r\n' + 'line\r\n'.repeat(12) + '  Enter a value: ';
    assert.equal(watchAll([far]), undefined);
    assert.equal(watchAll([DESTROY + 'yes\r\n\r\nDestroy complete! Resources: 2 destroyed.\r\n$ ']), undefined);
  });

  it('keeps only the tail of long output and still finds the prompt after it', () => {
    const watch = new PromptWatch();
    watch.feed('x'.repeat(100_000) + '\r\n');
    for (let i = 0; i < 200; i++) watch.feed(`  # aws_instance.web[${i}] will be destroyed\r\n`);
    assert.equal(watch.feed(DESTROY)?.action, 'destroy');
  });

  it('reads through other escape sequences: titles, cursor and line controls', () => {
    const text = `\x1b]0;terraform\x07${DESTROY}`.replace('Do you', '\x1b[2K\x1b[1GDo you').replace('  \x1b[1mEnter', '\x1b[?25h  \x1b[1mEnter');
    assert.equal(watchAll([text])?.action, 'destroy');
    assert.equal(confirmationAtEnd('Do you want to perform these actions?\n  x\n\n  Enter a value: ye')?.action, 'apply');
  });
});
