import assert from 'node:assert/strict';
import { check, expectAllow, expectPause } from '../../helpers/engine';

/**
 * Aliases popular shell set-ups define (oh-my-zsh's plugins): the engine is not shown the person's
 * rc files, so a name no program answers to is read as its common expansion too. An alias the line
 * itself defines wins over the common one.
 */
const DESTRUCTIVE: readonly (readonly [line: string, rule: string])[] = [
  ['tfd!', 'terraform.destroy'],
  ['tfd', 'terraform.destroy'],
  ['tfa!', 'terraform.auto-approve'],
  ['g push --force origin main', 'git.push-force-protected'],
  ['gpf!', 'git.push-force'],
  ['grhh', 'git.reset-hard'],
  ['gbD feature', 'git.branch-force-delete'],
  ['kdelns prod', 'kubernetes.delete-namespace'],
  ['dcdn -v', 'containers.compose-down-volumes'],
  ['dvprune -f', 'containers.volume-prune'],
  ['cd infra && tfd!', 'terraform.destroy'],
];

const HARMLESS: readonly string[] = ['g status', 'g log --oneline', 'tfp', 'tf plan', 'gst'];

describe('engine: common shell aliases of destructive commands', () => {
  for (const [line, rule] of DESTRUCTIVE) it(`pauses ${line} as its common expansion`, () => expectPause(line, rule));
  for (const line of HARMLESS) it(`allows ${line}`, () => expectAllow(line));

  it('says the expansion is the common one, not known to be this shell’s', async () => {
    const verdict = await check('tfd!');
    assert.match(verdict.findings[0].detail ?? '', /via tfd!, if it is the common alias for terraform destroy -auto-approve/);
  });

  it('takes an alias the line defines over the common one', async () => {
    await expectAllow("alias tfd='terraform plan -destroy'; tfd");
  });
});
