import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, Engine, parsePolicy, ParsedPolicy } from '../../src/core';
import { BUILT_IN_PACKS } from '../../src/core/rules/catalog';
import type { BashParser } from '../../src/core/shell/syntax';
import { loadBashParser } from '../../src/node/bashParser';

const FIXTURES = join(__dirname, '../fixtures/policy');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
/** The shipped schema, as VS Code reads it. */
const SCHEMA = JSON.parse(readFileSync(join(__dirname, '../../schemas/policy.schema.json'), 'utf8')) as { properties: object; definitions: { rule: { properties: object } } };
const errorsOf = (name: string): string[] => parsePolicy(fixture(name), 'policy.json').errors.map((e) => e.text);

let parser: BashParser;
let plain: Engine;

function withPolicy(policy: ParsedPolicy): Engine {
  return createEngine(parser, { policy });
}

function ids(engine: Engine, line: string): string[] {
  return engine.check(line).findings.map((f) => f.ruleId);
}

describe('workspace policy', () => {
  before(async () => {
    parser = await loadBashParser();
    plain = createEngine(parser);
  });

  describe('a valid policy', () => {
    it('parses the fixtures without errors', () => {
      for (const name of readdirSync(join(FIXTURES, 'valid'))) assert.deepEqual(errorsOf(`valid/${name}`), [], name);
    });

    it('adds rules that then fire', () => {
      const { policy } = parsePolicy(fixture('valid/full.json'), 'policy.json');
      const engine = withPolicy(policy);
      const line = 'psql -h payments.internal -c "select 1"';
      assert.equal(plain.check(line).verdict, 'allow');
      const v = engine.check(line);
      assert.equal(v.verdict, 'pause');
      assert.deepEqual(v.findings.map((f) => [f.ruleId, f.severity]), [['policy.payments.psql-write', 'medium']]);
      assert.equal(engine.check('psql -h payments.internal --single-transaction -f x.sql').verdict, 'allow');
      assert.ok(ids(engine, 'helm uninstall web').includes('policy.no-helm-uninstall'));
      assert.equal(engine.check('helm list').verdict, 'allow');
    });

    it('adds production markers that raise severity', () => {
      const { policy } = parsePolicy(fixture('valid/full.json'), 'policy.json');
      const line = 'terraform -chdir=blue-cluster destroy';
      assert.equal(plain.check(line).severity, 'high');
      const v = withPolicy(policy).check(line);
      assert.equal(v.severity, 'critical');
      assert.match(v.findings[0].detail ?? '', /production context: blue-cluster/);
    });

    it('raises the severity of built-in rules, and leaves the others alone', () => {
      const { policy } = parsePolicy(fixture('valid/full.json'), 'policy.json');
      const engine = withPolicy(policy);
      assert.equal(plain.check('terraform taint aws_instance.web').severity, 'medium');
      assert.equal(engine.check('terraform taint aws_instance.web').severity, 'high');
      assert.equal(engine.check('terraform destroy').severity, 'high');
      assert.equal(engine.check('terraform plan').verdict, 'allow');
    });

    it('applies every kind of condition and redirect rules', () => {
      const { policy, errors } = parsePolicy(fixture('valid/every-condition.json'), 'policy.json');
      assert.deepEqual(errors, []);
      const engine = withPolicy(policy);
      for (const line of ['deploytool release rollback', 'deploytool x prod-eu', 'deploytool db-12', 'deploytool -f', 'deploytool --env=prod', 'DEPLOY_TARGET=prod deploytool', 'deploytool purge']) {
        assert.ok(ids(engine, line).includes('policy.every-condition'), line);
      }
      assert.ok(!ids(engine, 'deploytool purge --dry-run').includes('policy.every-condition'));
      assert.ok(ids(engine, 'echo x > /etc/motd').includes('policy.redirect-into-etc'));
    });

    it('accepts an empty policy and changes nothing with it', () => {
      const { policy, errors } = parsePolicy('{}', 'policy.json');
      assert.deepEqual(errors, []);
      assert.deepEqual(withPolicy(policy).check('terraform destroy'), plain.check('terraform destroy'));
    });
  });

  describe('a bad policy file', () => {
    const cases: Record<string, string[]> = {
      'invalid/not-json.json': ["policy.json:1:1 invalid JSON: expected a value, found 'r'"],
      'invalid/trailing-comma.json': ['policy.json:6:5 invalid JSON: trailing comma before }'],
      'invalid/bad-severity.json': ['policy.json:7:19 rules[0].severity: must be one of low, medium, high, critical'],
      'invalid/wrong-types.json': [
        'policy.json:2:12 rules: must be an array, found an object',
        'policy.json:3:24 productionMarkers: must be an array, found a string',
        'policy.json:4:20 raiseSeverity: must be an object mapping built-in rule ids to severities, found an array',
      ],
      'invalid/unknown-rule-id.json': ['policy.json:3:5 raiseSeverity["terraform.destroyy"]: unknown rule id "terraform.destroyy" (did you mean terraform.destroy?); only built-in rules can be raised'],
      'invalid/lowers-severity.json': [
        'policy.json:3:26 raiseSeverity["terraform.destroy"]: would lower terraform.destroy from high to low; a policy can only add rules and production markers and raise severities; it cannot disable, allow, lower or remove anything',
      ],
      'invalid/disable.json': [
        'policy.json:2:3 disable: unknown field "disable"; a policy can only add rules and production markers and raise severities; it cannot disable, allow, lower or remove anything',
        'policy.json:11:7 rules[0].enabled: unknown field "enabled"; a policy can only add rules and production markers and raise severities; it cannot disable, allow, lower or remove anything',
      ],
      'invalid/redefines-built-in.json': [
        'policy.json:4:13 rules[0].id: "terraform.destroy" is a built-in rule; a policy cannot redefine it (to make it stricter, use raiseSeverity). Policy rule ids start with "policy."',
      ],
      'invalid/bad-regex.json': [
        'policy.json:2:25 productionMarkers[0]: is not a valid regular expression: Unterminated group',
        'policy.json:2:34 productionMarkers[1]: is a regular expression with a lookahead or lookbehind, which the linear-time matcher cannot run; match the text itself, or combine conditions with all/not',
        'policy.json:7:38 rules[0].when.positionalMatches: is a regular expression with a backreference, which the linear-time matcher cannot run; write the alternatives out',
      ],
      'invalid/unknown-detector.json': ['policy.json:6:27 rules[0].when.detect: unknown detector "helm.is-evil"; a detector is named <pack>.<check>, like terraform.answers-prompt'],
      'invalid/bad-condition.json': [
        'policy.json:5:17 rules[0].tools[0]: must be a command name in lower case without a path (like helm), "*" for every command, or ">" for redirects',
        'policy.json:6:25 rules[0].when.all[0]: has both "sub" and "option"; use all/any to combine conditions',
        'policy.json:6:73 rules[0].when.all[1].option[0]: must be an option name without its dashes, like force or f (letters, digits, - . _)',
        'policy.json:6:87 rules[0].when.all[2]: missing required field "matches"',
        'policy.json:6:113 rules[0].when.all[3]: must have one of the fields sub, anyPositional, positionalMatches, option, optionValue, env, detect, all, any, not',
      ],
    };

    it('has a case here for every invalid fixture', () => {
      assert.deepEqual(readdirSync(join(FIXTURES, 'invalid')).map((n) => `invalid/${n}`).sort(), Object.keys(cases).sort());
    });

    for (const [name, expected] of Object.entries(cases)) {
      it(`reports ${name} with line, column and field`, () => assert.deepEqual(errorsOf(name), expected));
    }

    it('reports JSON mistakes at the place they are made', () => {
      const text = (t: string): string[] => parsePolicy(t, '.countersign/policy.json').errors.map((e) => e.text);
      assert.deepEqual(text(''), ['.countersign/policy.json:1:1 invalid JSON: the file is empty; expected a JSON object']);
      assert.deepEqual(text('{\n  "rules": [],\n  // no\n}'), ['.countersign/policy.json:3:3 invalid JSON: comments are not allowed in policy.json']);
      assert.deepEqual(text('{"productionMarkers": ["\\d+"]}'), ['.countersign/policy.json:1:25 invalid JSON: invalid escape \\d in a string (in JSON a regex backslash is written \\\\)']);
      assert.deepEqual(text('{"rules": [}'), [".countersign/policy.json:1:12 invalid JSON: expected a value, found '}'"]);
      assert.deepEqual(text('{"version": 1, "version": 1}'), ['.countersign/policy.json:1:16 version: duplicate field "version"']);
      assert.deepEqual(text('[]'), ['.countersign/policy.json:1:1 must be an object, found an array']);
      assert.deepEqual(text('{"version": 2}'), ['.countersign/policy.json:1:13 version: must be 1']);
      assert.deepEqual(text('{"productionMarkers": ["' + 'a'.repeat(300) + '"]}'), ['.countersign/policy.json:1:24 productionMarkers[0]: is 300 characters long; a policy regex may be at most 256']);
      assert.deepEqual(text('{"productionMarkers": ["(x)\\\\1"]}'), ['.countersign/policy.json:1:24 productionMarkers[0]: is a regular expression with a backreference, which the linear-time matcher cannot run; write the alternatives out']);
    });

    it('reports a rule without its required fields at the rule', () => {
      const { errors, policy } = parsePolicy('{"rules": [{"id": "policy.x", "tools": ["helm"]}]}', 'policy.json');
      assert.deepEqual(errors.map((e) => e.text), [
        'policy.json:1:12 rules[0]: missing required field "severity"',
        'policy.json:1:12 rules[0]: missing required field "title"',
        'policy.json:1:12 rules[0]: missing required field "why"',
        'policy.json:1:12 rules[0]: missing required field "saferAlternative"',
      ]);
      assert.equal(policy.rules.length, 0);
      assert.deepEqual({ line: errors[0].line, column: errors[0].column, path: errors[0].path }, { line: 1, column: 12, path: 'rules[0]' });
    });

    it('keeps the valid parts: built-in rules always apply, a broken part is left out on its own', () => {
      const { policy } = parsePolicy(fixture('invalid/bad-regex.json'), 'policy.json');
      assert.deepEqual(policy.productionMarkers, ['ok-marker']);
      assert.equal(policy.rules.length, 0);
      assert.equal(withPolicy(policy).check('terraform -chdir=ok-marker destroy').severity, 'critical');
      const broken = parsePolicy(fixture('invalid/not-json.json'), 'policy.json').policy;
      assert.deepEqual(withPolicy(broken).check('terraform destroy'), plain.check('terraform destroy'));
    });
  });

  describe('only tightens', () => {
    it('cannot lower, disable or redefine a built-in rule through the file', () => {
      for (const name of ['invalid/lowers-severity.json', 'invalid/disable.json', 'invalid/redefines-built-in.json']) {
        const { policy } = parsePolicy(fixture(name), 'policy.json');
        const v = withPolicy(policy).check('terraform destroy');
        assert.equal(v.verdict, 'pause', name);
        assert.deepEqual(v.findings.map((f) => [f.ruleId, f.severity]), [['terraform.destroy', 'high']], name);
      }
    });

    it('cannot lower or shadow anything even when handed a policy object directly', () => {
      const rule = { tools: ['terraform'], when: { sub: ['destroy'] }, severity: 'low', title: 't', why: 'w', saferAlternative: 's' } as const;
      const policy: ParsedPolicy = {
        rules: [{ id: 'terraform.destroy', ...rule }, { id: 'mine.destroy', ...rule }],
        productionMarkers: [],
        raiseSeverity: new Map([['terraform.destroy', 'low'], ['terraform.taint', 'low']]),
      };
      const engine = withPolicy(policy);
      assert.deepEqual(engine.check('terraform destroy').findings.map((f) => [f.ruleId, f.severity]), [['terraform.destroy', 'high']]);
      assert.equal(engine.check('terraform taint x').severity, 'medium');
    });

    it('has no field that could loosen: every top-level and rule field adds or raises', () => {
      assert.deepEqual(Object.keys(SCHEMA.properties).sort(), ['$schema', 'productionMarkers', 'raiseSeverity', 'rules', 'version']);
      assert.deepEqual(Object.keys(SCHEMA.definitions.rule.properties).sort(), ['id', 'productionOnly', 'saferAlternative', 'severity', 'title', 'tools', 'when', 'why'].sort());
    });
  });

  describe('malformed JSON: one error, where the mistake is', () => {
    const cases: Record<string, [string, string]> = {
      'a trailing comma in an array': ['{"rules": [\n  {},\n]}', '3:1 invalid JSON: trailing comma before ]'],
      'single quotes': ["{'rules': []}", '1:2 invalid JSON: strings must use double quotes'],
      'a line break inside a string, at the break': ['{"productionMarkers": ["prod\nx"]}', '1:29 invalid JSON: control character (such as a line break) inside a string; escape it'],
      'a bad escape after an escaped backslash, at the bad one': ['{"productionMarkers": ["\\\\\\d"]}', '1:27 invalid JSON: invalid escape \\d in a string (in JSON a regex backslash is written \\\\)'],
      'a string left open': ['{"productionMarkers": ["prod', '1:24 invalid JSON: unterminated string'],
      'text after the value': ['{"version": 1}\nx', "2:1 invalid JSON: unexpected 'x' after the end of the JSON value"],
      'a missing colon': ['{"version" 1}', `1:12 invalid JSON: expected ':' after "version", found '1'`],
      'a missing comma': ['{"rules": [{} {}]}', "1:15 invalid JSON: expected ',' or ']', found '{'"],
      'a number with a leading zero': ['{"version": 01}', "1:14 invalid JSON: expected ',' or '}', found '1'"],
      'a block comment': ['{"version": /* one */ 1}', '1:13 invalid JSON: comments are not allowed in policy.json'],
    };
    for (const [name, [text, expected]] of Object.entries(cases)) {
      it(name, () => assert.deepEqual(parsePolicy(text, 'policy.json').errors.map((e) => e.text), [`policy.json:${expected}`]));
    }

    it('a leading byte order mark is not a mistake, and columns count from after it', () => {
      assert.deepEqual(parsePolicy('\uFEFF{"version": 2}', 'policy.json').errors.map((e) => e.text), ['policy.json:1:13 version: must be 1']);
    });
  });

  describe('schema violations: each at its field, in one line', () => {
    const rule = (extra: object): string =>
      JSON.stringify({ rules: [{ id: 'policy.x', tools: ['helm'], severity: 'high', title: 't', why: 'w', saferAlternative: 's', ...extra }] }, null, 1);
    const cases: Record<string, [string, string]> = {
      'type, as true or false': [rule({ productionOnly: 'yes' }), '12:22 rules[0].productionOnly: must be true or false, found a string'],
      'type, of a condition': [rule({ when: 'x' }), '12:12 rules[0].when: must be a condition object, found a string'],
      'pattern, with the message the schema gives VS Code': [rule({ title: '  ' }), '9:13 rules[0].title: must not be empty'],
      'minItems': [rule({ tools: [] }), '5:13 rules[0].tools: must have at least 1 item'],
      'maxItems': [JSON.stringify({ productionMarkers: Array(101).fill('p') }), '1:22 productionMarkers: has 101 items; at most 100'],
      'maxLength': [rule({ title: 'x'.repeat(201) }), '9:13 rules[0].title: is 201 characters long; at most 200'],
      'minimum': [rule({ when: { anyPositional: 'x', skip: -1 } }), '14:13 rules[0].when.skip: must be a whole number from 0 to 100'],
      'maximum': [rule({ when: { anyPositional: 'x', skip: 101 } }), '14:13 rules[0].when.skip: must be a whole number from 0 to 100'],
      'additionalProperties, at the key': [rule({ when: { env: 'X', matches: 'y' } }), '14:5 rules[0].when.matches: unknown field "matches"; the fields here are env, valueMatches'],
      'a glob with too many stars': [rule({ when: { sub: ['*a*a*a*a*a*a*a*a*'] } }), '14:6 rules[0].when.sub[0]: must be a glob with some text and at most 8 \'*\' wildcards'],
    };
    for (const [name, [text, expected]] of Object.entries(cases)) {
      it(name, () => {
        const { errors, policy } = parsePolicy(text, 'policy.json');
        assert.deepEqual(errors.map((e) => e.text), [`policy.json:${expected}`]);
        assert.deepEqual(policy.rules, []);
      });
    }

    it('a key written twice is an error at the repeat, and drops the rule that holds it', () => {
      const { errors, policy } = parsePolicy('{"rules": [{"id": "policy.x", "id": "policy.y", "tools": ["helm"], "severity": "high", "title": "t", "why": "w", "saferAlternative": "s"}]}', 'policy.json');
      assert.deepEqual(errors.map((e) => e.text), ['policy.json:1:31 rules[0].id: duplicate field "id"']);
      assert.deepEqual(policy.rules, []);
    });

    it('a "__proto__" key is an unknown field like any other, not a prototype', () => {
      const { errors, policy } = parsePolicy('{"__proto__": {"raiseSeverity": {"terraform.taint": "high"}}}', 'policy.json');
      assert.match(errors[0].text, /^policy\.json:1:2 __proto__: unknown field "__proto__"/);
      assert.equal(policy.raiseSeverity.size, 0);
    });

    it('the schema is a valid draft-07 schema (the runtime compiles it without checking)', () => {
      const ajv = new Ajv({ keywords: ['errorMessage', 'patternErrorMessage'] });
      assert.ok(ajv.validateSchema(SCHEMA), ajv.errorsText());
    });

    it('every pattern in the schema carries the message the runtime and VS Code show', () => {
      const missing: string[] = [];
      const walk = (node: unknown, where: string): void => {
        if (typeof node !== 'object' || node === null) return;
        const o = node as Record<string, unknown>;
        if (typeof o.pattern === 'string' && typeof o.patternErrorMessage !== 'string') missing.push(where);
        for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
      };
      walk(SCHEMA, '#');
      assert.deepEqual(missing, []);
    });
  });

  describe('tighten-only violations', () => {
    it('a second rule with the same id is refused, and raising a policy rule points at the rule', () => {
      const rule = { id: 'policy.a', tools: ['x'], severity: 'high', title: 't', why: 'w', saferAlternative: 's' };
      const { errors, policy } = parsePolicy(JSON.stringify({ rules: [rule, rule], raiseSeverity: { 'policy.a': 'critical' } }, null, 1), 'policy.json');
      assert.deepEqual(errors.map((e) => e.text), [
        'policy.json:14:10 rules[1].id: duplicate rule id "policy.a"',
        'policy.json:25:3 raiseSeverity["policy.a"]: unknown rule id "policy.a"; only built-in rules can be raised; set the severity on the policy rule itself',
      ]);
      assert.deepEqual(policy.rules.map((r) => r.id), ['policy.a']);
      assert.equal(policy.raiseSeverity.size, 0);
    });

    it('a raise written twice keeps neither, and the other raises still apply', () => {
      const { errors, policy } = parsePolicy('{"raiseSeverity": {"terraform.taint": "high", "terraform.taint": "low", "terraform.destroy": "critical"}}', 'policy.json');
      assert.deepEqual(errors.map((e) => e.text), ['policy.json:1:47 raiseSeverity["terraform.taint"]: duplicate field "terraform.taint"']);
      assert.deepEqual([...policy.raiseSeverity], [['terraform.destroy', 'critical']]);
    });

    it('every built-in rule can be raised: the schema\'s id pattern admits each id', () => {
      const raiseSeverity = Object.fromEntries(BUILT_IN_PACKS.flatMap((pack) => pack.rules.map((r) => [r.id, 'critical'])));
      const { errors, policy } = parsePolicy(JSON.stringify({ raiseSeverity }), 'policy.json');
      assert.deepEqual(errors, []);
      assert.equal(policy.raiseSeverity.size, Object.keys(raiseSeverity).length);
    });

    it('an unknown detector names the detectors of its pack', () => {
      const { errors } = parsePolicy(JSON.stringify({ rules: [{ id: 'policy.x', tools: ['terraform'], when: { detect: 'terraform.nope' }, severity: 'high', title: 't', why: 'w', saferAlternative: 's' }] }), 'policy.json');
      assert.match(errors[0].text, /^policy\.json:1:\d+ rules\[0\]\.when\.detect: unknown detector "terraform\.nope"; detectors of that pack: .*terraform\.answers-prompt/);
    });
  });

  describe('oversized and over-deep input is bounded', () => {
    it('JSON nested 100,000 deep is refused at level 65, at once', () => {
      const start = performance.now();
      const { errors, policy } = parsePolicy('['.repeat(100_000) + ']'.repeat(100_000), 'policy.json');
      assert.ok(performance.now() - start < 200, `${performance.now() - start} ms`);
      assert.deepEqual(errors.map((e) => e.text), ['policy.json:1:65 invalid JSON: nested more than 64 levels deep']);
      assert.deepEqual(policy.rules, []);
    });

    it('conditions nested more than 12 deep drop their rule', () => {
      let when: object = { sub: ['a'] };
      for (let i = 0; i < 13; i++) when = { not: when };
      const { errors, policy } = parsePolicy(JSON.stringify({ rules: [{ id: 'policy.x', tools: ['helm'], when, severity: 'high', title: 't', why: 'w', saferAlternative: 's' }] }), 'policy.json');
      assert.deepEqual(errors.map((e) => e.message), ['conditions nest more than 12 deep']);
      assert.equal(errors[0].path, `rules[0].when${'.not'.repeat(13)}`);
      assert.deepEqual(policy.rules, []);
    });
  });
});
