import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getEngine } from '../../helpers/engine';
import type { CheckContext } from '../../../src/core/engine/context';

interface Line {
  readonly command: string;
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly reason?: string;
}

const DIR = join(__dirname, '..', '..', 'corpus', 'everyday');
const load = (file: string): Line[] => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Line[];
/** A project folder with nothing readable in it: scripts and recipes the lines name are not there. */
const PROJECT: CheckContext = { cwd: '/work/project', reader: { readFile: () => undefined } };

/**
 * Everyday commands from public repositories' CI steps, Makefiles and READMEs (test/corpus/everyday/):
 * the safe ones should run without a pause, the destructive ones must all pause.
 */
describe('everyday corpus', () => {
  it('pauses <= 0.5 % of everyday safe lines and every destructive one', async function () {
    this.timeout(120_000);
    const engine = await getEngine();
    const safe = load('safe.json');
    const destructive = load('destructive.json');
    const paused = safe.map((l) => ({ l, v: engine.check(l.command, PROJECT) })).filter(({ v }) => v.verdict !== 'allow');
    const allowed = destructive.filter((l) => engine.check(l.command, PROJECT).verdict === 'allow');
    const rate = paused.length / safe.length;
    const repos = new Set([...safe, ...destructive].map((l) => l.repo)).size;
    console.log(
      `      everyday: ${safe.length} safe lines, ${paused.length} paused (${(100 * rate).toFixed(2)} %); ` +
        `${destructive.length} destructive lines, ${destructive.length - allowed.length} paused (${repos} repositories)`,
    );
    for (const { l, v } of paused) console.log(`        paused: ${l.command}  [${v.findings.map((f) => f.ruleId).join(', ')}]  (${l.repo} ${l.path})`);
    for (const l of allowed) console.log(`        allowed destructive: ${l.command}  (${l.reason})`);
    assert.deepEqual(allowed.map((l) => l.command), [], 'every destructive line must pause');
    assert.ok(rate <= 0.005, `everyday safe lines paused ${(100 * rate).toFixed(2)} % > 0.5 %`);
  });

  it('names where each line came from, and why each destructive line pauses', () => {
    for (const l of [...load('safe.json'), ...load('destructive.json')]) {
      assert.ok(l.command && /^[\w.-]+\/[\w.-]+$/.test(l.repo) && l.path && /^([0-9a-f]{40}|unknown)$/.test(l.commit), `incomplete entry: ${JSON.stringify(l)}`);
    }
    for (const l of load('destructive.json')) assert.ok(l.reason && l.reason.length >= 10, `destructive line without a reason: ${l.command}`);
    const commands = [...load('safe.json'), ...load('destructive.json')].map((l) => l.command);
    assert.equal(new Set(commands).size, commands.length, 'a line is listed twice');
  });
});
