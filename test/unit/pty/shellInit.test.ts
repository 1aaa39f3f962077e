import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { prepareShell } from '../../../src/node/pty/shellInit';
import { startSession, ZSH } from './harness';

describe('guarded shell init', () => {
  it('writes a private session directory with a 0600 nonce file', () => {
    const launch = prepareShell({ shell: '/bin/bash', env: { HOME: '/tmp' }, nonce: 'abc123' });
    try {
      const dir = launch.args[1].replace(/\/bashrc$/, '');
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      assert.equal(statSync(`${dir}/nonce`).mode & 0o777, 0o600);
      assert.deepEqual(launch.args.slice(-1), ['-i']);
      assert.ok(!JSON.stringify(launch.env).includes('abc123'), 'the nonce is not in the environment');
    } finally {
      launch.dispose();
    }
  });

  it('emulates a login shell for bash -l, which ignores --rcfile', () => {
    const launch = prepareShell({ shell: '/bin/bash', shellArgs: ['-l'], env: {}, nonce: 'n1' });
    try {
      assert.ok(!launch.args.includes('-l'));
      assert.match(readFileSync(launch.args[1], 'utf8'), /^__csg_login=1$/m);
    } finally {
      launch.dispose();
    }
  });

  it('runs any other shell as is', () => {
    const launch = prepareShell({ shell: '/bin/sh', shellArgs: ['-e'], env: { A: 'b' }, nonce: 'n1' });
    assert.equal(launch.kind, 'other');
    assert.deepEqual(launch.args, ['-e']);
  });

  for (const shell of ['/bin/bash', ZSH]) {
    it(`keeps the nonce out of ${shell}'s environment and leaves no init files behind`, async function () {
      if (!existsSync(shell)) {
        console.log(`    skipped: ${shell} is not installed (apt-get install -y zsh)`);
        this.skip();
      }
      const s = await startSession({ shell });
      try {
        await s.waitForPrompt(1);
        const inside = s.shell as unknown as { nonce: string; launch: { args: string[]; env: Record<string, string> } };
        const environ = readFileSync(`/proc/${s.shell.pid}/environ`, 'utf8');
        assert.ok(!environ.includes(inside.nonce));
        const dir = inside.launch.env.ZDOTDIR ?? inside.launch.args[1].replace(/\/bashrc$/, '');
        assert.ok(!existsSync(`${dir}/nonce`) && !existsSync(dir), 'read at startup, and the init removed at the first prompt');
      } finally {
        await s.dispose();
      }
    });
  }
});
