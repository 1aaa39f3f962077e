import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePlan, readPlan } from '../../../src/core/terraform/plan';
import { MAX_JSON_DEPTH, PlanReader, type PlanReading } from '../../../src/core/terraform/planStream';
import { entryDiff, resourceDiff } from '../../../src/core/terraform/resourceDiff';
import { TerraformFormatError } from '../../../src/core/terraform/types';
import { FixtureName, fixturePath, PLANS, planCopy } from './planFixtures';

/**
 * The streamed reader (planStream.ts) against the whole-text one (readPlan + analyzePlan): the same
 * analysis, or the same message, for every real file in the fixtures, however the bytes are cut.
 */
function stream(bytes: Uint8Array, chunk = bytes.length, keep: { spans?: boolean } = {}): PlanReading {
  const reader = new PlanReader({}, keep);
  // One buffer reused for every chunk, as a reader of a file may: the reader must copy what it keeps.
  const scratch = new Uint8Array(Math.max(1, chunk));
  for (let at = 0; at < bytes.length; at += chunk) {
    const piece = bytes.subarray(at, at + chunk);
    scratch.set(piece);
    reader.write(scratch.subarray(0, piece.length));
  }
  // Thrown as the whole-text reader throws, so that outcome() compares the two alike.
  const read = reader.finish();
  if (!read.ok) throw new TerraformFormatError(read.error);
  return read.value;
}

function outcome(read: () => unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(read()));
  } catch (error) {
    assert.ok(error instanceof TerraformFormatError, `a TerraformFormatError, got ${String(error)}`);
    return `error: ${error.message}`;
  }
}

const streamError = (text: string | Uint8Array): string => {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const result = outcome(() => stream(bytes, 4096).analysis);
  assert.equal(typeof result, 'string', 'the reader refused it');
  return String(result);
};

describe('terraform plan: read as a stream', () => {
  const files = readdirSync(PLANS).filter((f) => !f.endsWith('.md'));

  it(`gives what readPlan + analyzePlan give for each of the ${files.length} fixtures, cut in chunks of any size`, () => {
    for (const file of files) {
      const bytes = readFileSync(join(PLANS, file));
      const whole = outcome(() => analyzePlan(readPlan(bytes.toString('utf8'))));
      for (const chunk of [bytes.length || 1, 65536, 7, 1]) {
        assert.deepEqual(outcome(() => stream(bytes, chunk).analysis), whole, `${file} in chunks of ${chunk}`);
      }
    }
  });

  it('says where JSON breaks, that it ends early, or that it holds JSON lines, as readPlan does', () => {
    const text = (name: FixtureName): string => readFileSync(fixturePath(name), 'utf8');
    assert.match(streamError(text('invalidPlan')), /not valid JSON: error at line 676, column 29/);
    assert.match(streamError(text('invalidState')), /not valid JSON: error at line 12, column 28/);
    assert.match(streamError(text('create').slice(0, 500)), /ends early/);
    assert.match(streamError(text('multiplan')), /holds 3 JSON documents, one per line/);
    assert.match(streamError(text('deleteText')), /looks like the text terraform plan prints/);
    assert.match(streamError(readFileSync(fixturePath('utf16'))), /UTF-16/);
    assert.match(streamError('PK\u0003\u0004rest'), /binary plan file/);
    assert.match(streamError(' \n '), /empty/);
    assert.match(streamError(text('jondState')), /raw state file/);
    assert.match(streamError(text('infracostState')), /This is a state/);
    assert.match(streamError(text('trimmed')), /no "format_version"/);
  });

  it('reads a key spelled with escapes as JSON.parse does (a crafted "resource\\u005fchanges" is no way to hide a delete)', () => {
    const plain = JSON.stringify(planCopy('jondDelete'));
    const escaped = plain.replace('"resource_changes"', '"resource\\u005fchanges"').replace('"format_version"', '"format\\u005Fversion"');
    assert.notEqual(escaped, plain);
    const whole = outcome(() => analyzePlan(readPlan(escaped)));
    assert.deepEqual(outcome(() => stream(Buffer.from(escaped), 7).analysis), whole);
    assert.deepEqual(whole, outcome(() => analyzePlan(readPlan(plain))), 'the same plan as the plain spelling');
  });

  it('places an error after multi-byte characters by character, as JSON.parse counts', () => {
    const plan = planCopy('jondDelete');
    plan.resource_changes[0].change.before.content = 'résumé 🚀';
    const broken = JSON.stringify(plan, null, 1).replace('"résumé 🚀"', '"résumé 🚀" x');
    assert.equal(streamError(broken), outcome(() => readPlan(broken)));
  });

  it('reports the first bad entry of resource_changes before any of resource_drift, wherever they are in the file', () => {
    const plan = planCopy('issue522');
    plan.resource_drift[1].change.actions = ['teleport'];
    plan.resource_changes[2].mode = 'other';
    const text = JSON.stringify(plan);
    assert.match(streamError(text), /^error: resource_changes\[2\] .* has mode "other"/);
    assert.equal(streamError(text), outcome(() => readPlan(text)));
  });

  it(`refuses values nested more than ${MAX_JSON_DEPTH} levels deep, saying where, and reads ${MAX_JSON_DEPTH} levels`, () => {
    const nested = (levels: number): string => {
      const plan = planCopy('jondDelete');
      // resource_changes[0].change.before.content sits at level 5; wrap it in lists up to `levels`.
      let value: unknown = 'x';
      for (let i = 5; i < levels; i++) value = [value];
      plan.resource_changes[0].change.before.content = value;
      return JSON.stringify(plan);
    };
    assert.match(streamError(nested(MAX_JSON_DEPTH + 1)), new RegExp(`nests values more than ${MAX_JSON_DEPTH} levels deep \\(at line 1, column \\d+\\)`));
    assert.equal(stream(Buffer.from(nested(MAX_JSON_DEPTH))).analysis.counts.delete, 1);
  });

  it('refuses a plan that lists resource_changes twice rather than choose one', () => {
    const text = JSON.stringify(planCopy('jondDelete')).replace(/}$/, ',"resource_changes":[]}');
    assert.match(streamError(text), /"resource_changes" appears twice/);
  });

  it('keeps where each entry lies, so its diff read again from the bytes is the diff of the parsed plan', () => {
    for (const name of ['modify', 'azuredevops', 'sensitive', 'infracost', 'issue522'] as const) {
      // A byte order mark and multi-byte characters shift byte offsets away from character offsets.
      const plan = planCopy(name);
      plan.resource_changes[0].change.after = { ...(plan.resource_changes[0].change.after ?? {}), note: 'naïve – 🚀' };
      const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(plan, null, 2))]);
      const parsed = readPlan(bytes.toString('utf8'));
      const { analysis, spans } = stream(bytes, 333, { spans: true });
      assert.equal(spans?.size, parsed.resource_changes?.length, name);
      for (const change of analysis.changes) {
        const span = spans?.get(change.address);
        assert.ok(span, `${name}: ${change.address} has a span`);
        const text = bytes.subarray(span.start, span.end).toString('utf8');
        assert.deepEqual(entryDiff(text, change.address), resourceDiff(parsed, change.address), `${name}: ${change.address}`);
        assert.equal(entryDiff(text, 'some.other'), undefined, 'an entry answers only for its own address');
      }
    }
  });

  it('says whether the output is a plan at all before it is analysed, as the preview asks', () => {
    const reader = (text: string): PlanReader => {
      const r = new PlanReader();
      r.write(Buffer.from(text));
      return r;
    };
    assert.equal(reader(readFileSync(fixturePath('modify'), 'utf8')).looksLikePlan(), true);
    assert.equal(reader(readFileSync(fixturePath('infracostState'), 'utf8')).looksLikePlan(), false);
    assert.equal(reader(readFileSync(fixturePath('modify'), 'utf8').slice(0, 300)).looksLikePlan(), false);
    assert.equal(reader(readFileSync(fixturePath('deleteText'), 'utf8')).looksLikePlan(), false);
  });
});
