import assert from 'node:assert/strict';
import type { CheckContext } from '../../../src/core/engine/context';
import { parseShellNames, UNREADABLE_SHELL_NAMES, type ShellNames } from '../../../src/core/shell/shellNames';
import { check, expectAllow, expectPause } from '../../helpers/engine';

/**
 * Names the shell knows that no pack lists: functions the line defines, called with arguments that
 * decide what they run ("$@", $1), versioned copies of a known tool, and the aliases and functions of
 * the person's rc files, as a guarded terminal's shell reports them with the line (the real shells'
 * reports: test/unit/pty/shellNames.test.ts). Common aliases have their own file
 * (commonShellAliases.test.ts).
 */
const PAUSES: readonly (readonly [form: string, line: string, rule: string])[] = [
  ['a function passing "$@" to terraform', 'f() { terraform "$@"; }; f destroy -auto-approve', 'terraform.destroy'],
  ['a function with the function keyword', 'function k8s { kubectl "$@"; }; k8s delete namespace prod', 'kubernetes.delete-namespace'],
  ['a function using $1', 'nuke() { rm -rf "$1"; }; nuke /srv/data', 'filesystem.rm-recursive'],
  ['a function called after other commands', 'tfw() { terraform -chdir=infra "$@"; }; cd /tmp; tfw destroy', 'terraform.destroy'],
  ['a versioned binary (underscore)', 'terraform_1.9.5 destroy -auto-approve', 'terraform.destroy'],
  ['a versioned binary (dash and v)', './terraform-v1.11.0 destroy', 'terraform.destroy'],
  ['a versioned kubectl', 'kubectl-1.29 delete namespace prod', 'kubernetes.delete-namespace'],
];

const ALLOWS: readonly (readonly [form: string, line: string])[] = [
  ['a function whose call reads only', 'f() { terraform "$@"; }; f plan -out=tfplan'],
  ['a function calling itself (not followed)', 'g() { g; }; g'],
  ['a versioned binary that reads only', 'terraform_1.9.5 plan'],
];

/** What bash's `declare -f` prints for a function, and zsh's report of one. */
const BASH_NUKE = 'nuke () \n{ \n    terraform destroy -auto-approve\n}';
const ZSH_WRAPPER = 'k () {\n\tkubectl "$@"\n}';

function reported(aliases: Record<string, string>, functions: string[] = [], incomplete = false): CheckContext {
  const shellNames: ShellNames = { aliases: new Map(Object.entries(aliases)), functions, incomplete };
  return { shellNames };
}

const REPORTED_PAUSES: readonly (readonly [form: string, line: string, rule: string, context: CheckContext])[] = [
  ['an rc alias for terraform', 'tfx destroy -auto-approve', 'terraform.destroy', reported({ tfx: 'terraform' })],
  ['an rc alias of an rc alias', 'wipe', 'terraform.destroy', reported({ tfx: 'terraform', wipe: 'tfx destroy -auto-approve' })],
  ['an rc alias after other commands', 'cd infra && tfx destroy', 'terraform.destroy', reported({ tfx: 'terraform' })],
  ['an rc function (bash declare -f)', 'nuke', 'terraform.destroy', reported({}, [BASH_NUKE])],
  ['an rc function passing its arguments (zsh)', 'k delete namespace prod', 'kubernetes.delete-namespace', reported({}, [ZSH_WRAPPER])],
  ['an rc function that gives a plain word another meaning', 'ls', 'terraform.destroy', reported({}, ['ls () \n{ \n    terraform destroy\n}'])],
  ['an rc alias over a common alias', 'gpf', 'filesystem.rm-recursive', reported({ gpf: 'rm -rf /srv/data' })],
];

const REPORTED_ALLOWS: readonly (readonly [form: string, line: string, context: CheckContext])[] = [
  ['an rc alias that reads only', 'll', reported({ ll: 'ls -l' })],
  ['an rc alias named as an argument, not run', 'echo tfx', reported({ tfx: 'terraform destroy' })],
  ['an rc alias for a safe form of a tool', 'tfp', reported({ tfp: 'terraform plan' })],
];

describe('engine: names the shell knows', () => {
  for (const [form, line, rule] of PAUSES) it(`pauses: ${form}`, () => expectPause(line, rule));
  for (const [form, line] of ALLOWS) it(`allows: ${form}`, () => expectAllow(line));

  for (const [form, line, rule, context] of REPORTED_PAUSES) it(`pauses: ${form}`, () => expectPause(line, rule, context));
  for (const [form, line, context] of REPORTED_ALLOWS) it(`allows: ${form}`, () => expectAllow(line, context));

  it('pauses a line whose shell could not report all it may call (the cap, or a report it could not read)', async () => {
    for (const context of [reported({ ll: 'ls -l' }, [], true), { shellNames: UNREADABLE_SHELL_NAMES }]) {
      const verdict = await expectPause('ll', 'core.opaque-command', context);
      assert.match(verdict.findings[0].detail ?? '', /aliases and functions this line may call could not all be read/);
    }
  });

  it("reads the shell's report: aliases, functions, the cap's mark; anything else is unreadable, never partial", () => {
    const names = parseShellNames('atfx=terraform\0fnuke=nuke () { rm -rf /; }\0aeq=a=b\0!\0');
    assert.deepEqual([...names.aliases], [['tfx', 'terraform'], ['eq', 'a=b']]);
    assert.deepEqual(names.functions, ['nuke () { rm -rf /; }']);
    assert.equal(names.incomplete, true);
    assert.equal(parseShellNames('atfx=terraform\0').incomplete, false);
    for (const bad of ['atfx=terraform', 'xtfx=terraform\0', 'a=terraform\0', 'atfx\0', '']) assert.equal(parseShellNames(bad), UNREADABLE_SHELL_NAMES, JSON.stringify(bad));
  });

  it('says where the command came from', async () => {
    const verdict = await check('f() { terraform "$@"; }; f destroy -auto-approve');
    assert.match(verdict.findings.find((f) => f.ruleId === 'terraform.destroy')?.detail ?? '', /via function f/);
    const versioned = await check('terraform_1.9.5 destroy');
    assert.match(versioned.findings.find((f) => f.ruleId === 'terraform.destroy')?.detail ?? '', /via terraform_1\.9\.5/);
  });
});
