import type { Invocation } from '../../engine/invocation';
import type { Condition, RulePack } from '../types';

const GIT = ['git'];
const GH = ['gh'];

/**
 * A long option with the abbreviations git's option parser also accepts (`--har` is `--hard`),
 * down to `min` letters. Listing a prefix git would find ambiguous only pauses a command git rejects.
 */
function long(name: string, min: number): string[] {
  const names: string[] = [];
  for (let n = name.length; n >= min; n--) names.push(name.slice(0, n));
  return names;
}

/** Global options git reads before the subcommand that take a value (`git -C dir`, `-c k=v`). */
const GLOBAL_VALUE_OPTIONS = ['C', 'c', 'git-dir', 'work-tree', 'namespace', 'config-env', 'super-prefix', 'attr-source', 'list-cmds'];

/**
 * A pathspec that names the whole tree: `.`, `./`, `*`, `:/`, `:(top)`, `/`.
 * (Not `..`: from a subdirectory it is wider, but `git rm ..` is refused without -r.)
 */
const WHOLE_TREE = '^(\\.|\\./|\\./\\*|\\*|:/|:/\\*|:/\\.|:\\(top\\).*|/)$';
const WHOLE_TREE_RE = new RegExp(WHOLE_TREE);

/** Branches that look shared or deployed: main, master, trunk, develop, production, release/..., stable, live. */
const SHARED_BRANCH = '(?:refs/heads/)?(?:main|master|trunk|develop|prod|production|live|stable|release(?:s)?(?:[-/._][^:]*)?|hotfix(?:[-/][^:]*)?)';
const PROTECTED_BRANCH = `^\\+?(?:[^:]*:)?${SHARED_BRANCH}$`;

/** A push that sends something: `--dry-run` reports what it would do and changes nothing. */
const PUSH: Condition = { all: [{ sub: ['push'] }, { not: { option: ['n', ...long('dry-run', 3)] } }] };
const LEASE = long('force-with-lease', 7);
/**
 * A bare `--force-with-lease` leases every ref the push updates; `--force-with-lease=main` leases only
 * main, so a `-f` or `+ref` beside it still forces the other refs without one.
 */
const LEASES_EVERY_REF: Condition = { optionValue: LEASE, matches: '^$' };
const FORCED_PUSH: Condition = {
  all: [
    PUSH,
    { any: [{ option: ['f', 'force'] }, { positionalMatches: '^\\+.', skip: 2 }] },
    { not: LEASES_EVERY_REF },
  ],
};
/**
 * A forced push under a lease: it refuses only when the remote moved since the last fetch, and any
 * fetch (an IDE's in the background, the agent's own `git pull --rebase`) renews the lease without
 * anyone looking at what it now overwrites. It still rewrites published history.
 */
const LEASED_PUSH: Condition = { all: [PUSH, { option: LEASE }, { not: FORCED_PUSH }] };
const DELETING_PUSH: Condition = {
  all: [PUSH, { any: [{ option: ['d', ...long('delete', 3), 'prune'] }, { positionalMatches: '^:.', skip: 2 }] }],
};
/** Refspecs after the remote: `git push origin main`, `+main`, `HEAD:release/1.2`, `:main`. */
const NAMES_PROTECTED: Condition = { positionalMatches: PROTECTED_BRANCH.replace('^\\+?', '^[+:]?'), skip: 2 };
/** A leased push to a shared branch: named in a refspec or in the lease (`--force-with-lease=main:abc`). */
const LEASE_NAMES_PROTECTED: Condition = { any: [NAMES_PROTECTED, { optionValue: LEASE, matches: `^${SHARED_BRANCH}(?::.*)?$` }] };

const NOT_HELP: Condition = { not: { option: ['h', 'help'] } };
const NOT_DRY_RUN: Condition = { not: { option: ['n', 'dry-run'] } };

/** The words after git's subcommand, global options (`-C dir`, `--git-dir=x`, `--`) skipped. */
function subcommandArguments(argv: readonly string[]): { sub: string; args: string[] } | undefined {
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return i + 1 < argv.length ? { sub: argv[i + 1], args: argv.slice(i + 2) } : undefined;
    if (!a.startsWith('-') || a === '-') return { sub: a, args: argv.slice(i + 1) };
    if (a.startsWith('--')) {
      if (!a.includes('=') && GLOBAL_VALUE_OPTIONS.includes(a.slice(2))) i++;
    } else if (a === '-C' || a === '-c') {
      i++;
    }
  }
  return undefined;
}

interface PathRead {
  paths: string[];
  fromFile: boolean;
  staged: boolean;
  worktree: boolean;
  help: boolean;
}

/**
 * Reads `git checkout` / `git restore` arguments as git does, to find the paths whose working-tree
 * changes are overwritten. `git checkout main` switches branches; `git checkout main a.txt`,
 * `git checkout -- a.txt` and `git checkout .` overwrite files.
 */
function readPaths(sub: string, args: readonly string[]): PathRead {
  const checkout = sub === 'checkout';
  const shortValues = checkout ? 'bBU' : 'sU';
  const longValues = checkout
    ? ['orphan', 'conflict', 'unified', 'inter-hunk-context', 'pathspec-from-file']
    : ['source', 'conflict', 'unified', 'inter-hunk-context', 'pathspec-from-file'];
  const modes: Record<string, readonly string[]> = {
    track: ['direct', 'inherit'],
    t: ['direct', 'inherit'],
    'recurse-submodules': ['checkout', 'on-demand'],
  };
  const read: PathRead = { paths: [], fromFile: false, staged: false, worktree: false, help: false };
  const words: string[] = [];
  let creates = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      read.paths.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      words.push(a);
      continue;
    }
    let mode: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq > 0 ? eq : undefined);
      if (name === 'pathspec-from-file') read.fromFile = true;
      if (name === 'staged') read.staged = true;
      if (name === 'worktree') read.worktree = true;
      if (name === 'help') read.help = true;
      if (name === 'orphan') creates = true;
      if (eq < 0 && longValues.includes(name)) i++;
      else if (eq < 0) mode = name;
    } else {
      for (let j = 1; j < a.length; j++) {
        const letter = a[j];
        if (letter === 'S') read.staged = true;
        if (letter === 'W') read.worktree = true;
        if (letter === 'h') read.help = true;
        if (checkout && (letter === 'b' || letter === 'B')) creates = true;
        if (shortValues.includes(letter)) {
          if (j === a.length - 1) i++;
          break;
        }
        if (j === a.length - 1) mode = letter;
      }
    }
    if (mode && modes[mode] && i + 1 < args.length && modes[mode].includes(args[i + 1])) i++;
  }
  if (checkout) {
    // The first word is a branch or commit; more words are paths, unless it is the only one and names the tree.
    if (words.length === 1 && !creates && WHOLE_TREE_RE.test(words[0]) && read.paths.length === 0) read.paths.push(words[0]);
    else if (!creates) read.paths.push(...words.slice(1));
  } else {
    read.paths.push(...words);
  }
  return read;
}

/** What a checkout/restore overwrites in the working tree: 'all' (the whole tree), 'some' (named files). */
function discards(inv: Invocation): 'all' | 'some' | undefined {
  const found = subcommandArguments(inv.argv);
  const sub = found?.sub.toLowerCase();
  if (!found || (sub !== 'checkout' && sub !== 'restore')) return undefined;
  const read = readPaths(sub, found.args);
  if (read.help) return undefined;
  if (sub === 'restore' && read.staged && !read.worktree) return undefined;
  if (read.fromFile || read.paths.some((p) => WHOLE_TREE_RE.test(p))) return 'all';
  return read.paths.length > 0 ? 'some' : undefined;
}

/** Inline config that makes git run a command: shell aliases, ssh/fsmonitor commands, hooks paths. */
/**
 * Settings that make git run a program. An empty `core.fsmonitor` (or a boolean) and `core.hooksPath`
 * pointing at /dev/null turn those programs off: agents harden their own git calls that way (Claude
 * Code runs `git -c core.hooksPath=/dev/null -c core.fsmonitor= … ls-files` on start).
 */
const COMMAND_CONFIG =
  '^(alias\\.[^=]+=\\s*!|core\\.sshcommand=|core\\.fsmonitor=(?!\\s*(false|true|no|yes|off|on|0|1)?\\s*$)|core\\.hookspath=(?!/dev/null$)|diff\\.external=|credential\\.helper=\\s*!|protocol\\.ext\\.allow=always)';

export const gitPack: RulePack = {
  id: 'git',
  grammars: [
    {
      tools: GIT,
      // b/B: `git checkout -bfix` names a branch; read as a cluster it would look like -f.
      valueOptions: [...GLOBAL_VALUE_OPTIONS, 'b', 'B', 'o', 'push-option', 'repo', 'receive-pack', 'exec', 'expire', 'expire-unreachable', 'source', 'pathspec-from-file', 'orphan', 'conflict', 'unified', 'inter-hunk-context'],
      // The repository a command acts on: `git -C /srv/prod ...`, `--git-dir`, `GIT_DIR`.
      contextOptions: ['C', 'git-dir', 'work-tree'],
      contextEnv: ['GIT_DIR', 'GIT_WORK_TREE'],
    },
    {
      tools: GH,
      valueOptions: [
        'R', 'repo', 'hostname', 'e', 'env', 'o', 'org', 'visibility', 'description', 'd', 'homepage', 'q', 'jq', 't', 'template',
        'json', 'b', 'body', 'title', 'X', 'method', 'H', 'header', 'f', 'F', 'field', 'raw-field', 'input', 'p', 'preview', 'app',
        'u', 'user', 'L', 'limit', 'state', 'label', 'l', 'A', 'author', 'branch', 'B', 'base', 'head', 'm', 'milestone', 'a',
        'assignee', 'ref', 'key', 'k', 'tag', 'notes', 'n', 'target', 'sort', 'order',
      ],
      contextOptions: ['R', 'repo', 'env', 'e', 'org', 'o', 'hostname'],
      contextEnv: ['GH_REPO', 'GH_HOST'],
    },
  ],
  detectors: {
    /**
     * `git -- reset --hard`: git ends only its global options at `--`, so the subcommand still reads
     * `--hard` as an option; the generic argument parser sees positionals and no options.
     */
    'git.options-after-global-double-dash': (inv) => {
      for (let i = 1; i < inv.argv.length; i++) {
        const a = inv.argv[i];
        if (a === '--') return inv.argv.slice(i + 2).some((w) => w.startsWith('-') && w !== '-');
        if (!a.startsWith('-') || a === '-') return false;
        if (a.startsWith('--') ? !a.includes('=') && GLOBAL_VALUE_OPTIONS.includes(a.slice(2)) : a === '-C' || a === '-c') i++;
      }
      return false;
    },
    /** `git checkout`/`git restore` that overwrites working-tree files: arg 'all' (whole tree) or 'some'. */
    'git.discards': (inv, _context, arg) => {
      const found = discards(inv);
      return arg === 'all' ? found === 'all' : found === 'some';
    },
  },
  rules: [
    // ---- pushes that overwrite or delete remote history ----
    {
      id: 'git.push-force-protected',
      tools: GIT,
      when: { all: [FORCED_PUSH, NAMES_PROTECTED] },
      severity: 'critical',
      title: 'Force-pushes over a shared branch',
      why: 'A force push replaces the remote branch with the local one. Commits others pushed to main/master/release since the last fetch disappear from the remote, and everyone who pulled them now has diverged history. The remote keeps no reflog you can reach; only someone with a clone that still has the commits can restore them.',
      saferAlternative: 'Push without force and merge or rebase on top of the remote branch, or use `git push --force-with-lease` (which refuses if the remote moved) on a branch you own.',
    },
    {
      id: 'git.push-force',
      tools: GIT,
      when: { all: [FORCED_PUSH, { not: NAMES_PROTECTED }] },
      severity: 'high',
      title: 'Force-pushes, overwriting remote history',
      why: '--force (or a +refspec) makes the remote branch match the local one even when that throws away commits on the remote. Work pushed by others, or by another session of the agent, is lost from the remote without a warning. With no branch named, git pushes the current branch or every matching branch, which may be main.',
      saferAlternative: 'Use `git push --force-with-lease` so the push fails if the remote has commits you have not seen, and name the branch explicitly.',
    },
    {
      id: 'git.push-force-with-lease-protected',
      tools: GIT,
      when: { all: [LEASED_PUSH, LEASE_NAMES_PROTECTED] },
      severity: 'high',
      title: 'Force-pushes over a shared branch under a lease',
      why: '--force-with-lease rewrites the remote branch when it still points where the last fetch saw it. Any fetch since — an editor’s in the background, a `git pull --rebase` — renews that lease, so commits others pushed to main/master/release are dropped without anyone having looked at them, and everyone who pulled them has diverged history.',
      saferAlternative: 'Merge or rebase on top of the remote branch and push without force; if history must be rewritten, name the commit you expect (`--force-with-lease=main:<sha>`) after reading `git log origin/main`.',
    },
    {
      id: 'git.push-force-with-lease',
      tools: GIT,
      when: { all: [LEASED_PUSH, { not: LEASE_NAMES_PROTECTED }] },
      severity: 'medium',
      title: 'Force-pushes under a lease, rewriting remote history',
      why: '--force-with-lease replaces the remote branch when it still points where the last fetch saw it. A fetch since then (an editor’s in the background, the agent’s own) renews the lease, so commits on the remote that nobody looked at can still be dropped.',
      saferAlternative: 'Name the branch and the commit you expect (`--force-with-lease=feature:<sha>`) after checking `git log origin/feature`, or push the rewritten history to a new branch.',
    },
    {
      id: 'git.push-mirror',
      tools: GIT,
      when: { all: [PUSH, { option: long('mirror', 3) }] },
      severity: 'critical',
      title: 'Mirrors the local repository onto the remote',
      why: '--mirror force-updates every remote ref to match the local repository and deletes every remote branch and tag that does not exist locally. From a partial or stale clone it wipes branches, tags and history from the remote in one step.',
      saferAlternative: 'Push the branches and tags you mean by name (`git push origin main --tags`); use --mirror only from a complete `git clone --mirror` of the same repository, after checking `git ls-remote`.',
    },
    {
      id: 'git.push-delete-protected',
      tools: GIT,
      when: { all: [DELETING_PUSH, NAMES_PROTECTED] },
      severity: 'critical',
      title: 'Deletes a shared branch on the remote',
      why: 'This deletes main/master/release (or another shared branch) on the remote. Pipelines, deploys and every open pull request against it break, and commits only on that branch are recoverable only from someone’s clone.',
      saferAlternative: 'Check the branch name; protect shared branches on the server; delete only branches you created.',
    },
    {
      id: 'git.push-delete',
      tools: GIT,
      when: { all: [DELETING_PUSH, { not: NAMES_PROTECTED }] },
      severity: 'high',
      title: 'Deletes branches or tags on the remote',
      why: '`git push --delete`, a `:branch` refspec and `--prune` remove refs from the shared remote. Commits reachable only from them become unreachable there, and others lose the branch or tag on their next fetch.',
      saferAlternative: 'List what would go with `git push --dry-run` first, delete one named branch you own, and keep a local copy (`git branch backup/<name> origin/<name>`).',
    },
    // ---- local changes discarded ----
    {
      id: 'git.reset-hard',
      tools: GIT,
      when: { all: [{ sub: ['reset'] }, { option: [...long('hard', 3), ...long('merge', 3)] }] },
      severity: 'high',
      title: 'Discards uncommitted changes (reset --hard)',
      why: 'reset --hard overwrites the index and every tracked file with the target commit; --merge does the same to staged changes. Uncommitted edits are not in any commit or reflog and cannot be recovered. Commits moved away from stay reachable through the reflog only until it expires.',
      saferAlternative: 'Run `git stash` (or commit to a backup branch) first, or use `git reset --keep`, which refuses to overwrite local changes; `git reset --soft`/`--mixed` keep the files.',
    },
    {
      id: 'git.checkout-force',
      tools: GIT,
      when: { all: [{ sub: ['checkout|switch'] }, { option: ['f', ...long('force', 3), ...long('discard-changes', 4)] }] },
      severity: 'high',
      title: 'Switches branches discarding local changes',
      why: 'checkout -f / switch --force / --discard-changes throws away every uncommitted change to tracked files to make the switch succeed. The lost edits were never committed and cannot be recovered.',
      saferAlternative: 'Run `git stash` first, then switch without -f; `git stash pop` brings the changes back.',
    },
    {
      id: 'git.discard-all-changes',
      tools: GIT,
      when: { detect: 'git.discards', arg: 'all' },
      severity: 'high',
      title: 'Overwrites every changed file in the working tree',
      why: '`git checkout .`, `git checkout -- .` and `git restore .` replace the working tree with the index or a commit. Every uncommitted edit under that path is gone; git keeps no copy of working-tree changes.',
      saferAlternative: 'Run `git stash` (recoverable with `git stash pop`) or `git diff > backup.patch` first; restore only the files you mean.',
    },
    {
      id: 'git.discard-file-changes',
      tools: GIT,
      when: { detect: 'git.discards', arg: 'some' },
      severity: 'medium',
      title: 'Overwrites uncommitted changes to files',
      why: '`git checkout [<commit>] -- <file>` and `git restore <file>` overwrite the named files with the index or a commit. Uncommitted edits to them are lost for good; git has no record of working-tree changes.',
      saferAlternative: 'Save the changes first (`git diff -- <file> > backup.patch` or `git stash push -- <file>`); `git restore --staged <file>` only unstages.',
    },
    {
      id: 'git.clean-force',
      tools: GIT,
      when: { all: [{ sub: ['clean'] }, { option: ['f', ...long('force', 3)] }, NOT_DRY_RUN] },
      severity: 'high',
      title: 'Deletes untracked files (git clean -f)',
      why: 'git clean -f deletes files git does not track: new source files not yet added, local configuration, and with -x ignored files such as .env, credentials and build caches; -d takes directories, -ff even nested repositories. They were never committed, so nothing can bring them back.',
      saferAlternative: 'Run `git clean -n` (add the same -d/-x) to list what would go, or use `git clean -i`; move files you need out of the tree first.',
    },
    {
      id: 'git.rm-tree',
      tools: GIT,
      when: { all: [{ sub: ['rm'] }, { positionalMatches: WHOLE_TREE, skip: 1 }, { not: { option: ['cached'] } }, NOT_DRY_RUN] },
      severity: 'high',
      title: 'Removes every tracked file',
      why: '`git rm -r .` (or `*`) deletes all tracked files from the working tree and stages their deletion. Committed content can be checked out again, but with -f local modifications to those files are lost.',
      saferAlternative: 'Use `git rm -r --cached .` to untrack files while keeping them on disk, or `git rm -n` to preview; remove specific paths.',
    },
    {
      id: 'git.rm-force',
      tools: GIT,
      when: {
        all: [{ sub: ['rm'] }, { option: ['f', ...long('force', 3)] }, { not: { option: ['cached'] } }, NOT_DRY_RUN, { not: { positionalMatches: WHOLE_TREE, skip: 1 } }],
      },
      severity: 'medium',
      title: 'Removes files even with uncommitted changes',
      why: 'git rm normally refuses to delete a file with changes not in a commit; -f deletes it anyway, and those changes are lost.',
      saferAlternative: 'Commit or stash the changes first, or use `git rm --cached` to stop tracking the file while keeping it.',
    },
    {
      id: 'git.stash-clear',
      tools: GIT,
      when: { sub: ['stash', 'clear'] },
      severity: 'high',
      title: 'Deletes every stash',
      why: 'git stash clear drops all stashed work at once. The stash commits become unreachable: recoverable only by hunting dangling commits with `git fsck` before the next gc.',
      saferAlternative: 'Look at `git stash list` and drop single entries you no longer need, or turn a stash into a branch with `git stash branch <name>`.',
    },
    {
      id: 'git.stash-drop',
      tools: GIT,
      when: { sub: ['stash', 'drop'] },
      severity: 'medium',
      title: 'Deletes a stash entry',
      why: 'git stash drop removes stashed work (the latest stash when none is named). It is recoverable only through `git fsck --unreachable` until the next gc.',
      saferAlternative: 'Check `git stash show -p <stash>` first, or keep it with `git stash branch <name> <stash>`.',
    },
    {
      id: 'git.branch-force-delete',
      tools: GIT,
      when: { all: [{ sub: ['branch'] }, { any: [{ option: ['D'] }, { all: [{ option: ['d', ...long('delete', 3)] }, { option: ['f', ...long('force', 3)] }] }] }] },
      severity: 'medium',
      title: 'Force-deletes a branch with unmerged commits',
      why: 'branch -D deletes the branch even when its commits are merged nowhere. The branch’s own reflog goes with it; the commits survive only in the HEAD reflog (if they were ever checked out) until it expires.',
      saferAlternative: 'Use `git branch -d`, which refuses to delete unmerged work, or push the branch / tag its tip before deleting.',
    },
    {
      id: 'git.worktree-remove-force',
      tools: GIT,
      when: { all: [{ sub: ['worktree', 'remove'] }, { option: ['f', ...long('force', 3)] }] },
      severity: 'high',
      title: 'Removes a worktree with uncommitted changes',
      why: 'worktree remove --force deletes the worktree directory even when it holds modified or untracked files (twice, even a locked one). Another session may be working there; its uncommitted work is gone.',
      saferAlternative: 'Run `git -C <worktree> status`, commit or stash there, then `git worktree remove` without --force.',
    },
    {
      id: 'git.submodule-deinit-force',
      tools: GIT,
      when: { all: [{ sub: ['submodule', 'deinit'] }, { option: ['f', ...long('force', 3)] }] },
      severity: 'medium',
      title: 'Removes submodule working trees with local changes',
      why: 'submodule deinit -f empties the submodule directories even when they contain local modifications, which are lost.',
      saferAlternative: 'Check `git submodule foreach git status` and commit or stash inside the submodule before deinit without -f.',
    },
    // ---- history and object database ----
    {
      id: 'git.rewrite-history',
      tools: GIT,
      when: { all: [{ sub: ['filter-branch|filter-repo'] }, { not: { option: ['analyze', 'dry-run', 'h', 'help'] } }] },
      severity: 'high',
      title: 'Rewrites the repository’s history',
      why: 'filter-branch and filter-repo rewrite every matching commit. All commit ids change, filter-repo removes the origin remote and expires reflogs, and pushing the result needs a force push that breaks every other clone. Dropped files and commits are hard to get back once the old refs are gone.',
      saferAlternative: 'Work on a fresh `git clone --mirror` copy, run `git filter-repo --analyze` or `--dry-run` first, and coordinate the force push with everyone using the repository.',
    },
    {
      id: 'git.rewrite-history-tool',
      tools: ['git-filter-repo', 'bfg'],
      when: { not: { option: ['analyze', 'dry-run', 'h', 'help', 'version'] } },
      severity: 'high',
      title: 'Rewrites the repository’s history',
      why: 'git-filter-repo and the BFG rewrite every matching commit: all commit ids change, removed files and commits are hard to get back once old refs and reflogs are gone, and publishing the result needs a force push that breaks other clones.',
      saferAlternative: 'Work on a fresh `git clone --mirror` copy, preview with --analyze / --dry-run, and coordinate the force push.',
    },
    {
      id: 'git.reflog-expire',
      tools: GIT,
      when: {
        any: [
          { all: [{ sub: ['reflog', 'expire'] }, { optionValue: ['expire', 'expire-unreachable'], matches: '^(now|all|0|\\d+[ .]?(s|sec|secs|seconds?|m|mins?|minutes?|h|hours?)([ .]ago)?)$' }] },
          { sub: ['reflog', 'delete'] },
        ],
      },
      severity: 'high',
      title: 'Deletes reflog entries, git’s undo history',
      why: 'The reflog is how commits lost to a bad reset, rebase or branch deletion are found again. Expiring it now (or deleting entries) removes that safety net; with a following gc the commits are gone for good.',
      saferAlternative: 'Leave reflog expiry to git’s defaults (90/30 days); if a secret must be purged, do it on a mirror clone as part of a planned history rewrite.',
    },
    {
      id: 'git.prune-now',
      tools: GIT,
      when: {
        any: [
          { all: [{ sub: ['gc'] }, { optionValue: ['prune'], matches: '^(now|all)$' }] },
          { all: [{ sub: ['gc'] }, { optionValue: ['c'], matches: '^gc\\.(pruneexpire|reflogexpire\\w*)=(now|all)$' }] },
          { all: [{ sub: ['prune'] }, NOT_DRY_RUN] },
        ],
      },
      severity: 'high',
      title: 'Deletes unreachable objects immediately',
      why: 'gc --prune=now and git prune delete unreachable objects with no grace period: dropped stashes, commits from deleted branches and anything the reflog no longer holds. Normally git keeps them two weeks precisely so mistakes can be undone.',
      saferAlternative: 'Run `git gc` without --prune=now (the default keeps two weeks), or `git prune -n` to see what would go.',
    },
    {
      id: 'git.update-ref-delete',
      tools: GIT,
      when: { all: [{ sub: ['update-ref'] }, { option: ['d', ...long('delete', 3)] }] },
      severity: 'high',
      title: 'Deletes a ref directly',
      why: 'update-ref -d removes a branch, tag or other ref (HEAD, refs/stash) with none of the checks `git branch -d` makes, and the ref’s reflog goes with it. Commits only it pointed to become unreachable.',
      saferAlternative: 'Use `git branch -d` / `git tag -d` for branches and tags, and note the ref’s commit (`git rev-parse <ref>`) first.',
    },
    {
      id: 'git.inline-command-config',
      tools: GIT,
      when: {
        any: [
          { optionValue: ['c'], matches: COMMAND_CONFIG },
          { optionValue: ['config-env'], matches: '^(alias\\.|core\\.sshcommand=|core\\.fsmonitor=|core\\.hookspath=|diff\\.external=|credential\\.helper=)' },
        ],
      },
      severity: 'high',
      title: 'Runs a command hidden in inline git config',
      why: '`git -c alias.x=!…`, `core.sshCommand`, `core.fsmonitor`, `core.hooksPath` and similar settings make git run an arbitrary program that does not appear as a command on the line, so no other rule sees it.',
      saferAlternative: 'Run the program directly as its own command, or use a reviewed alias from the repository’s config.',
    },
    {
      id: 'git.options-hidden-by-double-dash',
      tools: GIT,
      when: { detect: 'git.options-after-global-double-dash' },
      severity: 'medium',
      title: 'Git options written where checks cannot read them',
      why: '`git -- <subcommand> --option` still passes --option to the subcommand (the `--` only ends git’s own global options), but it hides the options from rule matching, so a destructive form such as `git -- reset --hard` would slip through unread. Nobody needs this spelling.',
      saferAlternative: 'Write the command without the `--` before the subcommand (`git reset --hard` → reviewed as such).',
    },
    // ---- GitHub CLI ----
    {
      id: 'git.gh-repo-delete',
      tools: GH,
      when: { all: [{ sub: ['repo', 'delete'] }, NOT_HELP] },
      severity: 'critical',
      title: 'Deletes a GitHub repository',
      why: 'gh repo delete removes the repository with its issues, pull requests, releases, wiki, Actions secrets and settings (the current repository when none is named). Only an organisation owner can restore it, within 90 days, and forks and stars are not restored.',
      saferAlternative: 'Archive it instead (`gh repo archive`), or make a full backup (`git clone --mirror` plus the issue/PR export) before deleting by hand on github.com.',
    },
    {
      id: 'git.gh-repo-archive',
      tools: GH,
      when: { all: [{ sub: ['repo', 'archive'] }, NOT_HELP] },
      severity: 'high',
      title: 'Archives a GitHub repository',
      why: 'An archived repository becomes read-only for everyone: no pushes, issues, pull requests or Actions runs. It can be unarchived, but pipelines and people depending on it stop at once.',
      saferAlternative: 'Confirm with the repository owners, then archive from github.com where the target is shown.',
    },
    {
      id: 'git.gh-repo-rename',
      tools: GH,
      when: { all: [{ sub: ['repo', 'rename'] }, NOT_HELP] },
      severity: 'medium',
      title: 'Renames a GitHub repository',
      why: 'Renaming changes the repository’s URL. GitHub redirects the old name for git, but not for GitHub Pages, some API clients or a new repository created under the old name; CI, deploy keys and package references that use the name can break.',
      saferAlternative: 'Check what refers to the repository by name first, and rename from github.com where the change is shown.',
    },
    {
      id: 'git.gh-repo-visibility',
      tools: GH,
      when: { all: [{ sub: ['repo', 'edit'] }, { option: ['visibility'] }] },
      severity: 'high',
      title: 'Changes a repository’s visibility',
      why: 'Making a private repository public exposes its code and its whole history, including any secret ever committed; making a public one private detaches forks and removes stars and watchers for good.',
      saferAlternative: 'Scan history for secrets and get the owner’s approval; change visibility in the repository settings, where GitHub lists the consequences.',
    },
    {
      id: 'git.gh-release-delete',
      tools: GH,
      when: { all: [{ sub: ['release', 'delete|delete-asset'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes a GitHub release',
      why: 'Deleting a release (or its assets) removes published binaries and notes that users, installers and pipelines download by URL; --cleanup-tag also deletes the git tag. It cannot be undone, only recreated.',
      saferAlternative: 'Edit the release or mark it as a pre-release/draft instead (`gh release edit --draft`); download the assets first if you must delete.',
    },
    {
      id: 'git.gh-secret-delete',
      tools: GH,
      when: { all: [{ sub: ['secret', 'delete|remove'] }, NOT_HELP] },
      severity: 'high',
      title: 'Deletes a GitHub Actions secret',
      why: 'The secret’s value cannot be read back, so once deleted it must be re-issued from its source. Every workflow or environment that uses it fails until then, deploys included.',
      saferAlternative: 'Check which workflows use the secret (`gh secret list`, search .github/workflows) and have its replacement ready; rotate rather than delete.',
    },
    {
      id: 'git.gh-variable-delete',
      tools: GH,
      when: { all: [{ sub: ['variable', 'delete|remove'] }, NOT_HELP] },
      severity: 'medium',
      title: 'Deletes a GitHub Actions variable',
      why: 'Workflows and environments that read this configuration variable get an empty value, which can change what a deploy does or where it goes.',
      saferAlternative: 'Note the value first (`gh variable get NAME`) and check which workflows use it.',
    },
    {
      id: 'git.gh-delete-resource',
      tools: GH,
      when: {
        all: [
          {
            any: [
              { sub: ['gist|issue|ssh-key|gpg-key|label|cache|run|codespace|project|ruleset|environment|org', 'delete'] },
              { sub: ['repo', 'deploy-key', 'delete'] },
              { sub: ['repo', 'autolink', 'delete'] },
            ],
          },
          NOT_HELP,
        ],
      },
      severity: 'high',
      title: 'Deletes a GitHub resource',
      why: 'This permanently deletes a GitHub object (gist, issue, key, label, cache, workflow run, codespace, project...). GitHub has no undo for these; an issue’s discussion or a codespace’s uncommitted work is gone.',
      saferAlternative: 'Close or edit instead of deleting where possible (`gh issue close`), and check the target with the matching `view`/`list` command first.',
    },
    {
      id: 'git.gh-workflow-disable',
      tools: GH,
      when: { all: [{ sub: ['workflow', 'disable'] }, NOT_HELP] },
      severity: 'medium',
      title: 'Disables a GitHub Actions workflow',
      why: 'A disabled workflow stops running on its triggers: checks, scheduled jobs, security scans or deploys silently stop happening until someone re-enables it.',
      saferAlternative: 'Cancel a single run (`gh run cancel`) or fix the workflow instead; if it must be disabled, say so to the team.',
    },
    {
      id: 'git.gh-api-delete',
      tools: GH,
      when: {
        all: [
          { sub: ['api'] },
          {
            any: [
              { optionValue: ['X', 'method'], matches: '^delete$' },
              { optionValue: ['f', 'F', 'field', 'raw-field'], matches: '^query=\\s*mutation\\b[\\s\\S]*\\b(delete|remove|archive)\\w*' },
            ],
          },
        ],
      },
      severity: 'high',
      title: 'Deletes through the GitHub API',
      why: 'A DELETE request (or a delete mutation) through `gh api` removes whatever the path names — a repository, branch protection, a release, a webhook — with the caller’s full token rights and no confirmation.',
      saferAlternative: 'GET the same path first to see what it names, and use the dedicated gh command, which asks for confirmation.',
    },
    {
      id: 'git.gh-pr-merge-admin',
      tools: GH,
      when: { all: [{ sub: ['pr', 'merge'] }, { option: ['admin'] }] },
      severity: 'medium',
      title: 'Merges a pull request bypassing branch protection',
      why: '--admin merges even when required reviews or status checks have not passed, skipping the protections set on the target branch.',
      saferAlternative: 'Let the required checks and reviews finish, or use `gh pr merge --auto` to merge once they pass.',
    },
  ],
};
