import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loginProfileFile,
  loginShellKind,
  PROFILE_LINE,
  PROFILE_LINE_MARKER,
  PROFILE_SCRIPT,
  withoutProfileLine,
  withProfileLine,
} from '../../../src/core/shell/profileLine';
import { installProfileLine, profileLineStatus, removeProfileLine } from '../../../src/node/shims/loginProfile';
import { loginShellLosesShims } from '../../../src/node/shims/loginShell';
import { writeShims } from '../../../src/node/shims/shimDir';
import { processRunning } from '../../helpers/processes';
import { waitFor } from '../../helpers/waitFor';
import { CLI } from './shimHarness';

/** What Debian's /etc/profile sets PATH to for root; the private profiles do the same before our line. */
const RESET_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const RESETTING_PROFILE = `echo "a profile that talks"\nPATH="${RESET_PATH}"\nexport PATH\n`;

function installed(shell: string): boolean {
  return existsSync(shell);
}

describe('login shells and the PATH shims', function () {
  this.timeout(30_000);
  let root: string;
  let shims: string;
  let homes = 0;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'csg-login-'));
    shims = writeShims(join(root, 'storage', 'shims'), { cliPath: CLI, nodePath: process.execPath });
  });

  after(() => rmSync(root, { recursive: true, force: true }));

  function freshHome(files: Readonly<Record<string, string>> = {}): string {
    const home = join(root, `home-${homes++}`);
    mkdirSync(home);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(home, name), text);
    return home;
  }

  /** A VS Code terminal's environment as the extension sets it up: shims first, the gate's variables. */
  function terminalEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      HOME: home,
      LANG: 'C.UTF-8',
      PATH: `${shims}:/usr/bin:/bin`,
      COUNTERSIGN_GATE_SOCKET: join(root, 'gate.sock'),
      COUNTERSIGN_GATE_TOKEN: 'token',
      COUNTERSIGN_SHIM_DIR: shims,
      ...extra,
    };
  }

  /** The PATH a login shell ends up with (the last line it prints; the profile may print before). */
  function loginPath(shell: string, env: NodeJS.ProcessEnv): string {
    const out = execFileSync(shell, ['-lc', 'printf "\\n%s" "$PATH"'], { env, cwd: env.HOME, encoding: 'utf8' });
    return out.slice(out.lastIndexOf('\n') + 1);
  }

  for (const shell of ['/usr/bin/bash', '/usr/bin/zsh', '/usr/bin/dash']) {
    const profile = shell.endsWith('zsh') ? '.zprofile' : '.profile';

    describe(`${shell} -l, with a ${profile} that resets PATH as Debian's /etc/profile does`, function () {
      before(function () {
        if (!installed(shell)) {
          console.log(`      (skipped: ${shell} is not installed; apt-get install -y zsh dash)`);
          this.skip();
        }
      });

      it('loses the shims without the line, and says so', async () => {
        const home = freshHome({ [profile]: RESETTING_PROFILE });
        const check = await loginShellLosesShims(terminalEnv(home), shell, 5_000);
        assert.deepEqual(check, { losesShims: true, detail: `${shell} -l puts /usr/local/sbin first on PATH and drops the shim folder` });
        assert.equal(loginPath(shell, terminalEnv(home)), RESET_PATH);
      });

      it('keeps the shim folder first, once, with the line', async () => {
        const home = freshHome({ [profile]: RESETTING_PROFILE });
        assert.deepEqual(await installProfileLine(home, shell), { file: join(home, profile), changed: true });
        const check = await loginShellLosesShims(terminalEnv(home), shell, 5_000);
        assert.deepEqual(check, { losesShims: false, detail: `${shell} -l keeps the shim folder first on PATH` });
        assert.equal(loginPath(shell, terminalEnv(home)), `${shims}:${RESET_PATH}`);
      });

      it('moves a shim folder the profile left on PATH to the front, never adding it twice, and keeps empty entries', async () => {
        const home = freshHome({ [profile]: `PATH="/usr/bin:${shims}::/bin:${shims}"\nexport PATH\n` });
        await installProfileLine(home, shell);
        assert.equal(loginPath(shell, terminalEnv(home)), `${shims}:/usr/bin::/bin`);
      });

      it("changes nothing where Countersign's variables are absent", async () => {
        const home = freshHome({ [profile]: RESETTING_PROFILE });
        await installProfileLine(home, shell);
        const none = { COUNTERSIGN_GATE_SOCKET: undefined, COUNTERSIGN_GATE_TOKEN: undefined, COUNTERSIGN_SHIM_DIR: undefined };
        assert.equal(loginPath(shell, terminalEnv(home, none)), RESET_PATH);
        assert.equal(loginPath(shell, terminalEnv(home, { COUNTERSIGN_GATE_SOCKET: undefined })), RESET_PATH);
        assert.equal(loginPath(shell, terminalEnv(home, { COUNTERSIGN_SHIM_DIR: undefined })), RESET_PATH);
      });

      it('does not put first a folder that is not a shim folder: unmarked, a symlink, relative, or with a colon', async () => {
        const home = freshHome({ [profile]: RESETTING_PROFILE });
        await installProfileLine(home, shell);
        const unmarked = join(root, 'unmarked');
        mkdirSync(unmarked, { recursive: true });
        const link = join(root, 'link-to-shims');
        if (!existsSync(link)) symlinkSync(shims, link);
        for (const dir of [unmarked, link, 'storage/shims', `${shims}:/tmp`, join(root, 'missing')]) {
          assert.equal(loginPath(shell, terminalEnv(home, { COUNTERSIGN_SHIM_DIR: dir })), RESET_PATH, dir);
        }
      });
    });
  }

  describe('the check', () => {
    const bash = '/usr/bin/bash';

    it('reads the PATH after whatever the profile prints, and does not wait for a child the profile leaves holding stdout', async () => {
      const home = freshHome({ '.profile': `${RESETTING_PROFILE}sleep 7654328 &\n` });
      await installProfileLine(home, bash);
      const started = Date.now();
      const check = await loginShellLosesShims(terminalEnv(home), bash, 5_000);
      assert.equal(check.losesShims, false, check.detail);
      assert.ok(Date.now() - started < 3_000);
      await waitFor('the profile\'s child to be killed', () => processRunning('sleep 7654328') === undefined);
    });

    it('fails closed on a profile that hangs, and kills it', async () => {
      const home = freshHome({ '.profile': 'sleep 7654329\n' });
      const check = await loginShellLosesShims(terminalEnv(home), bash, 300);
      assert.deepEqual(check, { losesShims: true, detail: `${bash} -l did not finish within 300 ms, so it is not known to keep the shims first` });
      await waitFor('the hung profile to be killed', () => processRunning('sleep 7654329') === undefined);
    });

    it('fails closed on a profile that exits, and on a shell that cannot start', async () => {
      const home = freshHome({ '.profile': 'exit 3\n' });
      assert.deepEqual(await loginShellLosesShims(terminalEnv(home), bash, 5_000), { losesShims: true, detail: `${bash} -l exited with 3 without printing its PATH` });
      const missing = await loginShellLosesShims(terminalEnv(home), join(root, 'no-such-shell'), 5_000);
      assert.equal(missing.losesShims, true);
      assert.match(missing.detail, /could not be started/);
    });

    it('refuses an environment whose PATH does not start with a shim folder', async () => {
      const home = freshHome();
      await assert.rejects(loginShellLosesShims(terminalEnv(home, { PATH: '/usr/bin:/bin' }), bash, 5_000), /does not start with a shim folder/);
    });
  });

  describe('adding and removing the line', () => {
    const bash = '/usr/bin/bash';

    it('goes where a login shell of each kind looks: bash the first of .bash_profile, .bash_login, .profile; zsh .zprofile; sh .profile', async () => {
      assert.equal((await profileLineStatus(freshHome(), bash)).file.endsWith('/.profile'), true);
      assert.equal((await profileLineStatus(freshHome({ '.profile': '', '.bash_login': '' }), bash)).file.endsWith('/.bash_login'), true);
      assert.equal((await profileLineStatus(freshHome({ '.profile': '', '.bash_login': '', '.bash_profile': '' }), bash)).file.endsWith('/.bash_profile'), true);
      assert.equal((await profileLineStatus(freshHome({ '.profile': '' }), '/bin/zsh')).file.endsWith('/.zprofile'), true);
      assert.equal((await profileLineStatus(freshHome({ '.bash_profile': '' }), '/bin/dash')).file.endsWith('/.profile'), true);
      assert.deepEqual(
        ['/bin/bash', '/usr/bin/zsh', '/bin/sh', 'dash', '/bin/ksh', '/usr/bin/fish', '/bin/tcsh'].map(loginShellKind),
        ['bash', 'zsh', 'sh', 'sh', 'sh', undefined, undefined],
      );
      assert.equal(loginProfileFile('bash', (f) => f === '.bash_login'), '.bash_login');
    });

    it('adds exactly one marked line and removes it leaving every other byte and the mode as they were', async () => {
      const texts = ['', 'export EDITOR=vi', 'export EDITOR=vi\n', '# ünïcode\n\n\nPATH=$HOME/bin:$PATH\n\n', 'a\r\nb\r\n', `x\n${PROFILE_LINE.replace('then', 'then :;')}\ny\n`];
      for (const text of texts) {
        const home = freshHome({ '.profile': text });
        const file = join(home, '.profile');
        chmodSync(file, 0o640);
        assert.equal((await installProfileLine(home, bash)).changed, true, JSON.stringify(text));
        const added = readFileSync(file, 'utf8');
        assert.equal(added.split('\n').filter((line) => line.endsWith(PROFILE_LINE_MARKER)).length, 1);
        assert.equal(added.split('\n').filter((line) => line.trim() !== '').at(-1), PROFILE_LINE);
        assert.deepEqual(await installProfileLine(home, bash), { file, changed: false });
        assert.equal(readFileSync(file, 'utf8'), added);
        assert.equal((await profileLineStatus(home, bash)).installed, true);
        assert.deepEqual(await removeProfileLine(home, bash), [file]);
        const expected = text.includes(PROFILE_LINE_MARKER) ? 'x\ny\n' : text;
        assert.equal(readFileSync(file, 'utf8'), expected, JSON.stringify(text));
        assert.equal(statSync(file).mode & 0o777, 0o640);
        assert.deepEqual(await removeProfileLine(home, bash), []);
      }
    });

    it('writes the script it sources privately, and counts the line as in place only while the script is there', async () => {
      const home = freshHome();
      await installProfileLine(home, bash);
      const script = join(home, PROFILE_SCRIPT);
      assert.equal(statSync(script).mode & 0o777, 0o600);
      assert.equal(statSync(join(home, '.config', 'countersign')).mode & 0o777, 0o700);
      assert.equal(readFileSync(join(home, '.profile'), 'utf8'), `${PROFILE_LINE}\n`);
      rmSync(script);
      assert.equal((await profileLineStatus(home, bash)).installed, false);
      assert.equal((await installProfileLine(home, bash)).changed, false);
      assert.equal(existsSync(script), true);
    });

    it('removes the line from each file bash may read, and creates no file where there was none', async () => {
      const home = freshHome({ '.bash_profile': `. ~/.profile\n${PROFILE_LINE}\n`, '.profile': `umask 022\n${PROFILE_LINE}` });
      assert.deepEqual((await removeProfileLine(home, bash)).sort(), [join(home, '.bash_profile'), join(home, '.profile')]);
      assert.equal(readFileSync(join(home, '.bash_profile'), 'utf8'), '. ~/.profile\n');
      assert.equal(readFileSync(join(home, '.profile'), 'utf8'), 'umask 022');
      const empty = freshHome();
      assert.deepEqual(await removeProfileLine(empty, '/bin/zsh'), []);
      assert.equal(existsSync(join(empty, '.zprofile')), false);
    });

    it('refuses a symlinked profile, naming the line to add by hand, and changes nothing', async () => {
      const home = freshHome({ 'dotfiles-profile': 'export A=1\n' });
      symlinkSync(join(home, 'dotfiles-profile'), join(home, '.profile'));
      await assert.rejects(installProfileLine(home, bash), (error: Error) => {
        assert.match(error.message, /\.profile: it is a symbolic link/);
        assert.ok(error.message.includes(PROFILE_LINE));
        return true;
      });
      assert.equal(readFileSync(join(home, 'dotfiles-profile'), 'utf8'), 'export A=1\n');
      assert.equal(existsSync(join(home, PROFILE_SCRIPT)), false);
    });

    it("refuses a profile that is not the user's own, and a script folder that is a symlink", async function () {
      const home = freshHome({ '.profile': 'export A=1\n' });
      symlinkSync(join(root), join(home, '.config'));
      mkdirSync(join(root, 'countersign-elsewhere'));
      symlinkSync(join(root, 'countersign-elsewhere'), join(root, 'countersign'));
      await assert.rejects(installProfileLine(home, bash), /will not write its login-shell script: .*countersign: it is a symbolic link/);
      assert.equal(readFileSync(join(home, '.profile'), 'utf8'), 'export A=1\n');
      if (process.getuid?.() !== 0) return; // only root can give a file away
      const theirs = freshHome({ '.zprofile': 'export A=1\n' });
      chownSync(join(theirs, '.zprofile'), 65534, 65534);
      await assert.rejects(installProfileLine(theirs, '/bin/zsh'), /\.zprofile: another user owns it/);
      await assert.rejects(removeProfileLine(theirs, '/bin/zsh'), /another user owns it/);
    });

    it('refuses a shell whose profile it does not write', async () => {
      await assert.rejects(installProfileLine(freshHome(), '/usr/bin/fish'), /bash, zsh and sh .*\/usr\/bin\/fish is none of them/);
    });

    it('edits text: the line last, an older line of ours replaced, a file without a final newline restored exactly', () => {
      assert.equal(withProfileLine(undefined), `${PROFILE_LINE}\n`);
      assert.equal(withProfileLine('a'), `a\n${PROFILE_LINE}`);
      assert.equal(withoutProfileLine(`a\n${PROFILE_LINE}`), 'a');
      assert.equal(withProfileLine(`${PROFILE_LINE}\n\n`), undefined);
      assert.equal(withProfileLine(`${PROFILE_LINE}\nexport PATH=/opt/bin:$PATH\n`), `export PATH=/opt/bin:$PATH\n${PROFILE_LINE}\n`);
      assert.equal(withProfileLine(`old ${PROFILE_LINE_MARKER}\nb\n`), `b\n${PROFILE_LINE}\n`);
      assert.equal(withoutProfileLine('a\nb\n'), undefined);
      assert.equal(withoutProfileLine(undefined), undefined);
    });
  });
});
