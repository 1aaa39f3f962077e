import assert from 'node:assert/strict';
import { check, expectAllow, expectPause } from '../../helpers/engine';

/**
 * Names the shell knows that no pack lists: functions the line defines, called with arguments that
 * decide what they run ("$@", $1), and versioned copies of a known tool. Common aliases have their own
 * file (commonShellAliases.test.ts).
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

describe('engine: names the shell knows', () => {
  for (const [form, line, rule] of PAUSES) it(`pauses: ${form}`, () => expectPause(line, rule));
  for (const [form, line] of ALLOWS) it(`allows: ${form}`, () => expectAllow(line));

  it('says where the command came from', async () => {
    const verdict = await check('f() { terraform "$@"; }; f destroy -auto-approve');
    assert.match(verdict.findings.find((f) => f.ruleId === 'terraform.destroy')?.detail ?? '', /via function f/);
    const versioned = await check('terraform_1.9.5 destroy');
    assert.match(versioned.findings.find((f) => f.ruleId === 'terraform.destroy')?.detail ?? '', /via terraform_1\.9\.5/);
  });
});
