import type { Word } from '../shell/words';
import { toolName } from './invocation';
import type { StdinSource } from '../shell/commands';

/**
 * `find . -name node_modules -exec rm -rf {} +` deletes what a build or an install brings back.
 * When find selects only such names under starting points the line spells out, the paths it hands
 * on are known well enough to be judged where they are (`./node_modules`), rather than as any path.
 */

/** Names of what builds, installs and test runs regenerate. */
const BUILD_OUTPUTS = new Set([
  'node_modules', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.nox', 'dist', 'build', 'out', 'target', '.next',
  '.nuxt', '.turbo', '.parcel-cache', '.cache', 'coverage', '.coverage', 'htmlcov', '.gradle', '*.pyc', '*.pyo', '*.o', '*.class',
  '.DS_Store', '*.egg-info', '.eggs', 'obj',
]);

/** find's tests and options that only narrow what is selected, and how many values each takes. */
const NARROWING = new Map([
  ['-type', 1], ['-maxdepth', 1], ['-mindepth', 1], ['-prune', 0], ['-o', 0], ['-or', 0], ['-a', 0], ['-and', 0], ['(', 0], [')', 0],
  ['-print', 0], ['-print0', 0], ['-depth', 0], ['-xdev', 0], ['-mount', 0],
]);
const ACTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir', '-delete']);

/**
 * The paths `find ARGS` selects, as `START/NAME` words, when every name test names a build output
 * and nothing else widens the selection; undefined otherwise.
 */
export function buildOutputPaths(args: readonly Word[]): Word[] | undefined {
  const starts: Word[] = [];
  let i = 0;
  for (; i < args.length && !args[i].value.startsWith('-') && !['(', '!', ')'].includes(args[i].value); i++) starts.push(args[i]);
  const names: string[] = [];
  for (; i < args.length && !ACTIONS.has(args[i].value); i++) {
    const a = args[i];
    if (a.value === '-name' || a.value === '-iname') {
      const name = args[++i];
      if (!name?.static || !BUILD_OUTPUTS.has(name.value)) return undefined;
      names.push(name.value);
    } else if (NARROWING.has(a.value)) {
      i += NARROWING.get(a.value) as number;
    } else {
      return undefined;
    }
  }
  if (names.length === 0 || starts.some((s) => !s.static)) return undefined;
  const from = starts.length > 0 ? starts : [{ value: '.', static: true, raw: '.', start: 0, end: 0 }];
  return from.flatMap((s) => names.map((n) => ({ ...s, value: `${s.value.replace(/\/+$/, '')}/${n}`, raw: `${s.value}/${n}` })));
}

/** What a `find` feeding this input selects, when it selects build outputs only. */
export function buildOutputsOnStdin(stdin: StdinSource | undefined): Word[] | undefined {
  const from = stdin?.kind === 'pipe' ? stdin.from : undefined;
  if (!from || !from.words[0]?.static || !['find', 'gfind'].includes(toolName(from.words[0].value))) return undefined;
  return buildOutputPaths(from.words.slice(1));
}
