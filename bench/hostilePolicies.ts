/**
 * Workspace policies written to make a backtracking regex engine hang, one per class of pattern, each
 * with a 10 KB command line that is its worst case and a line it does match (proof that the pattern
 * really runs on that input). Shared by bench/policyMatching.ts and test/unit/hardening.
 */

export const HOSTILE_INPUT_LENGTH = 10 * 1024;

export interface HostilePolicy {
  /** The class of pattern. */
  readonly name: string;
  /** Where in the policy the pattern sits. */
  readonly slot: 'production marker' | 'argument glob' | 'argument regex' | 'environment name' | 'environment value' | 'option value';
  /** The policy file's JSON. */
  readonly policy: object;
  /** 10 KB, the pattern's worst case: it does not match. */
  readonly worst: string;
  /** A line the pattern matches: the policy's rule fires, or the marker marks production. */
  readonly matching: string;
}

const RULE = { severity: 'critical', title: 'Hostile pattern', why: 'A pattern written to hang a backtracking engine.', saferAlternative: 'None.' } as const;
const run = (c: string, n = HOSTILE_INPUT_LENGTH): string => c.repeat(n);

function rule(when: object): object {
  return { version: 1, rules: [{ id: 'policy.hostile', tools: ['helm'], when, ...RULE }] };
}

export const HOSTILE_POLICIES: readonly HostilePolicy[] = [
  {
    name: 'a bounded repeat of an unbounded group',
    slot: 'production marker',
    policy: { version: 1, productionMarkers: ['^/(x+x+){10}y$'] },
    worst: `rm -rf /${run('x')}`,
    matching: `rm -rf /${run('x', 40)}y`,
  },
  {
    name: 'duplicate alternatives where one is escaped',
    slot: 'environment value',
    policy: rule({ env: '^DEPLOY_TO$', valueMatches: '^(a|\\x61)*b$' }),
    worst: `DEPLOY_TO=${run('a')} helm list`,
    matching: `DEPLOY_TO=${run('a', 40)}b helm list`,
  },
  {
    name: 'a long run of .* separated by literals',
    slot: 'argument regex',
    policy: rule({ positionalMatches: '^a.*a.*a.*a.*a.*a.*a.*a.*a.*a.*a.*b$' }),
    worst: `helm install ${run('a')}`,
    matching: `helm install ${run('a', 40)}b`,
  },
  {
    name: 'a glob with the maximum number of stars',
    slot: 'argument glob',
    policy: rule({ anyPositional: '*a*a*a*a*a*a*a*b' }),
    worst: `helm install ${run('a')}`,
    matching: `helm install ${run('a', 40)}b`,
  },
  // The next classes: nothing in them repeats without bound, or nothing nests, yet both backtrack.
  {
    name: 'a bounded repeat of an optional',
    slot: 'option value',
    policy: rule({ optionValue: ['namespace'], matches: '^(a?){100}a{100}$' }),
    worst: `helm install x --namespace ${run('a', 99)}`,
    matching: `helm install x --namespace ${run('a', 150)}`,
  },
  {
    name: 'adjacent quantifiers over the same characters',
    slot: 'environment name',
    policy: rule({ env: '^A\\w*\\w*\\w*\\w*\\w*\\w*Z$' }),
    worst: `A${run('B')}=1 helm list`,
    matching: `A${run('B', 40)}Z=1 helm list`,
  },
];
