import assert from 'node:assert/strict';
import type { Verdict } from '../../../src/core';
import { packCases, pauses } from './packCases';

const hasFindings = (v: Verdict): void => assert.ok(v.findings.length > 0);

describe('git pack', () => {
  describe('pauses force pushes in every flag form, critical on shared branches', () => {
    packCases({
      pause: [
        ...pauses('git.push-force', ['git push --force', 'git push -f', 'git push origin feature --force', 'git push origin -f', 'git push --force=true origin feat', 'git push origin +feature', 'git push --force --force-if-includes origin feat']),
        ...pauses('git.push-force-protected', ['git push --force origin main', 'git push -f origin master', 'git push origin +main', 'git push origin HEAD:refs/heads/main -f', 'git push -f origin release/1.2', 'git push origin production --force'], { severity: 'critical' }),
      ],
    });
  });
  describe('pauses force pushes under a lease, below a bare force (a fetch renews the lease unseen)', () => {
    packCases({
      pause: [
        ...pauses('git.push-force-with-lease', ['git push --force-with-lease', 'git push --force-with-lease=refs/heads/feature', 'git push -f --force-with-lease', 'git push --force --force-with-lease origin feat', 'git push --force-with-lease origin +feat', 'git push --force-with origin feat'], { severity: 'medium' }),
        ...pauses('git.push-force-with-lease-protected', ['git push --force-with-lease origin main', 'git push --force-with-lease=refs/heads/main', 'git push --force-with-lease=main:abc123 origin HEAD']),
        // A lease on one named ref leaves the other forced refs without one.
        ...pauses('git.push-force', ['git push --force-with-lease=main origin +feature', 'git push -f --force-with-lease=docs origin feature docs']),
      ],
    });
  });
  describe('allows plain pushes and --force-if-includes alone', () => {
    packCases({
      allow: ['git push', 'git push origin main', 'git push -u origin feature', 'git push origin feature --force-if-includes', 'git push --dry-run origin main', 'git push --force-with-lease --dry-run', 'git push -f -n origin main', 'git push --delete --dry-run origin feat'],
    });
  });
  describe('pauses mirror pushes and remote deletions', () => {
    packCases({
      pause: [
        ...pauses('git.push-mirror', ['git push --mirror', 'git push origin --mirror']),
        ...pauses('git.push-delete', ['git push origin --delete feature', 'git push --delete origin feature', 'git push -d origin feature', 'git push origin :feature', 'git push origin :refs/tags/v1', 'git push --prune origin']),
        ...pauses('git.push-delete-protected', ['git push origin --delete main', 'git push origin :main']),
      ],
    });
  });
  describe('reads git global options before the subcommand', () => {
    packCases({
      pause: [
        ...pauses('git.reset-hard', ['git -C repo reset --hard', 'git -Crepo reset --hard', 'git --git-dir=repo/.git reset --hard', 'git --git-dir repo/.git reset --hard', 'git --work-tree=repo reset --hard', 'git --no-pager reset --hard', 'git -c foo=bar reset --hard', 'git -cfoo=bar reset --hard'], { then: hasFindings }),
        ...pauses('git.push-force', ['git -c core.x=1 -C repo push -f'], { then: hasFindings }),
      ],
      allow: ['git -C repo status', 'git -Crepo status', 'git --git-dir=x log', 'git -c color.ui=never diff', 'git --version', 'git --help', 'git'],
    });
  });
  describe('pauses `git -- <subcommand> --option`, which hides the options from rules', () => {
    packCases({
      pause: pauses('git.options-hidden-by-double-dash', ['git -- reset --hard']),
      allow: ['git --', 'git -- --help', 'git -- status'],
    });
  });
  describe('pauses reset --hard/--merge through wrappers, allows soft/mixed/keep', () => {
    packCases({
      pause: pauses('git.reset-hard', ['git reset --hard', 'git reset --hard HEAD~3', 'git reset -q --hard', 'git reset --merge', 'git reset --har', 'sudo git reset --hard', 'env GIT_DIR=.git git reset --hard', "bash -c 'git reset --hard'", 'echo ok | xargs git reset --hard', '\\git reset --hard', '"git" reset --hard', '/usr/bin/git reset --hard', 'git status && git reset --hard', 'echo $(git reset --hard)']),
      allow: ['git reset', 'git reset HEAD', 'git reset --soft HEAD~1', 'git reset --mixed HEAD', 'git reset --keep HEAD~1', 'git reset HEAD file.txt'],
    });
  });
  describe('raises severity for a production repository path', () => {
    packCases({
      pause: pauses('git.reset-hard', ['git -C /srv/prod/app reset --hard'], { severity: 'critical' }),
    });
  });
  describe('pauses forced checkouts and switches', () => {
    packCases({
      pause: pauses('git.checkout-force', ['git checkout -f main', 'git checkout --force main', 'git checkout -qf main', 'git checkout main -f', 'git checkout -f', 'git switch -f main', 'git switch --discard-changes main', 'git -C repo switch -f main', 'git checkout -f -B feature HEAD~1']),
      allow: ['git checkout main', 'git checkout -b feature', 'git checkout -bfeature', 'git checkout -qbfeature', 'git checkout -Bnew', 'git checkout --orphan gh-pages', 'git checkout -', 'git switch main', 'git switch -c feature', 'git switch -cfeature', 'git switch -- -f', 'git checkout --detach main', 'git checkout -U3 main'],
    });
  });
  describe('pauses checkout/restore that overwrite working-tree files', () => {
    packCases({
      pause: [
        ...pauses('git.discard-all-changes', ['git checkout -- .', 'git checkout .', 'git checkout -- ./', "git checkout -- '*'", 'git checkout HEAD -- .', 'git checkout --pathspec-from-file=paths.txt main', 'git restore .', 'git restore --worktree .', 'git restore --staged --worktree .', 'git restore -SW .', 'git restore --source=HEAD .']),
        ...pauses('git.discard-file-changes', ['git checkout -- file.txt', 'git checkout HEAD -- file.txt', 'git checkout HEAD file.txt', 'git checkout main a.txt b.txt', 'git checkout -- -f', 'git checkout --recurse-submodules main file.txt', 'git restore file.txt', 'git restore -W file.txt', 'git restore -s HEAD~1 src/a.ts']),
      ],
      allow: ['git restore --staged file.txt', 'git restore -S file.txt', 'git restore --staged .', 'git restore --help', 'git checkout --track direct main', 'git checkout --recurse-submodules checkout main', 'git checkout --conflict merge main', 'git checkout -b new main'],
    });
  });
  describe('pauses git clean with force unless it is a dry run', () => {
    packCases({
      pause: pauses('git.clean-force', ['git clean -f', 'git clean --force', 'git clean -fd', 'git clean -fdx', 'git clean -ffdx', 'git clean -xdf', 'git clean -d -f', 'git clean --force -d', 'sudo git clean -fd']),
      allow: ['git clean -n', 'git clean --dry-run', 'git clean -nd', 'git clean -fdn', 'git clean -n -f'],
    });
  });
  describe('pauses mass and forced git rm, allows --cached and single files', () => {
    packCases({
      pause: [...pauses('git.rm-tree', ['git rm .', 'git rm -r .', 'git rm -rf .', "git rm '*'", 'git rm -f *']), ...pauses('git.rm-force', ['git rm -f notes.txt'])],
      allow: ['git rm README.md', 'git rm ..', 'git rm -r --cached .', 'git rm -n -r .'],
    });
  });
  describe('pauses stash drop/clear, forced branch deletion, worktree/submodule force', () => {
    packCases({
      pause: [
        ...pauses('git.stash-drop', ['git stash drop', 'git stash drop stash@{0}']),
        ...pauses('git.stash-clear', ['git stash clear']),
        ...pauses('git.branch-force-delete', ['git branch -D feature', 'git branch -Dv feature', 'git branch --delete --force feature', 'git branch -d --force feature', 'git branch -d -f feature']),
        ...pauses('git.worktree-remove-force', ['git worktree remove --force /tmp/wt', 'git worktree remove -f /tmp/wt']),
        ...pauses('git.submodule-deinit-force', ['git submodule deinit -f --all']),
      ],
      allow: ['git stash', 'git stash list', 'git stash pop', 'git stash apply', 'git stash show -p', 'git stash clearing', 'git branch -d feature', 'git branch -a', 'git branch -M main', 'git worktree remove /tmp/wt', 'git worktree remove -- -f', 'git submodule status', 'git submodule deinit sub'],
    });
  });
  describe('pauses history rewrites, reflog expiry, immediate pruning and ref deletion', () => {
    packCases({
      pause: [
        ...pauses('git.rewrite-history', ['git filter-branch --env-filter x', 'git filter-repo --path secrets --invert-paths', 'git filter-branch --force']),
        ...pauses('git.rewrite-history-tool', ['bfg --delete-files id_rsa']),
        ...pauses('git.reflog-expire', ['git reflog expire --expire=now --all', 'git reflog expire --all --expire=now', 'git reflog expire --expire-unreachable=now', 'git reflog delete HEAD@{1}']),
        ...pauses('git.prune-now', ['git gc --prune=now', 'git gc --aggressive --prune=now', 'git -c gc.pruneExpire=now gc', 'git prune']),
        ...pauses('git.update-ref-delete', ['git update-ref -d refs/heads/feature', 'git update-ref --delete refs/heads/main']),
      ],
      allow: ['git filter-repo --analyze', 'git reflog show', 'git reflog expire --expire=90.days', 'git gc', 'git gc --prune', 'git gc --aggressive', 'git prune -n', 'git rebase main', 'git rebase -i HEAD~3', 'git update-ref refs/heads/x HEAD'],
    });
  });
  describe('pauses commands hidden in inline git config', () => {
    packCases({
      pause: pauses('git.inline-command-config', [
        "git -c 'alias.x=!rm -rf ~' x",
        'git -c core.sshCommand="sh -c id" fetch',
        'git --config-env=alias.x=CMD x',
        'git -c core.fsmonitor=./watch.sh status',
        'git -c core.hooksPath=.evil-hooks commit -m x',
        'git -c core.hooksPath=/dev/null/../tmp/hooks commit -m x',
      ]),
      // The settings that switch those programs off: an agent's own hardened calls (Claude Code's, measured).
      allow: [
        'git -c core.pager=cat log',
        'git -c alias.st=status st',
        'git -c user.name=x commit -m y',
        "git -c core.hooksPath=/dev/null -c core.fsmonitor= -c safe.bareRepository=explicit -c protocol.file.allow=never ls-files --error-unmatch -- ':(icase).claude/settings.local.json'",
        'git -c core.fsmonitor=false status',
      ],
    });
  });
  describe('keeps quoted data and read-only commands allowed', () => {
    packCases({
      allow: ['git status', 'git log --oneline -10', 'git diff HEAD~1', 'git show HEAD', 'git add .', 'git commit -m "git reset --hard"', "git commit -m 'fix: do not rm -rf root'", 'echo "git push --force"', "grep 'git checkout -- file' log.txt", 'git fetch --all', 'git pull --rebase', 'git merge --no-ff feature', 'git tag v1.0.0', 'git-lfs pull'],
    });
  });
});

describe('gh pack rules', () => {
  describe('pauses repository deletion, archive, rename and visibility changes', () => {
    packCases({
      pause: [
        ...pauses('git.gh-repo-delete', ['gh repo delete', 'gh repo delete myorg/myrepo --yes', 'gh  repo  delete'], { severity: 'critical' }),
        ...pauses('git.gh-repo-archive', ['gh repo archive myorg/myrepo']),
        ...pauses('git.gh-repo-rename', ['gh repo rename new-name']),
        ...pauses('git.gh-repo-visibility', ['gh repo edit --visibility public', "gh repo edit --description 'x' --visibility private", 'gh repo edit o/r --visibility=internal']),
      ],
    });
  });
  describe('pauses deleting releases, secrets, variables and other resources', () => {
    packCases({
      pause: [
        ...pauses('git.gh-release-delete', ['gh release delete v1.0.0', 'gh release delete v1.0.0 --cleanup-tag --yes', 'gh release delete-asset v1 app.zip']),
        ...pauses('git.gh-secret-delete', ['gh secret delete MY_SECRET --org myorg']),
        ...pauses('git.gh-secret-delete', ['gh secret delete MY_SECRET --env production'], { severity: 'critical' }),
        ...pauses('git.gh-variable-delete', ['gh variable delete MY_VAR --env staging']),
        ...pauses('git.gh-delete-resource', ['gh gist delete 12345', 'gh issue delete 123', 'gh ssh-key delete 1', 'gh cache delete build-cache', 'gh run delete 42', 'gh repo deploy-key delete 7']),
        ...pauses('git.gh-workflow-disable', ['gh workflow disable deploy.yml']),
        ...pauses('git.gh-pr-merge-admin', ['gh pr merge 12 --admin --squash']),
      ],
    });
  });
  describe('pauses DELETE calls through gh api', () => {
    packCases({
      pause: pauses('git.gh-api-delete', ['gh api -X DELETE /repos/owner/repo', 'gh api --method delete repos/o/r/hooks/1', 'gh api graphql -f query="mutation { deleteRepository(input: {}) { clientMutationId } }"']),
    });
  });
  describe('allows read-only and creating gh commands', () => {
    packCases({
      allow: ['gh repo list', 'gh repo view', 'gh repo create myrepo', 'gh repo deletee', 'gh repo archived', 'gh repo unarchive o/r', "gh repo edit --description 'new'", 'gh release list', 'gh release view v1', 'gh release create v1.0.0', 'gh secret list', 'gh secret set X', 'gh variable list', 'gh workflow list', 'gh workflow run deploy.yml --ref main', 'gh run watch 1', 'gh api repos/o/r', 'gh api -X GET repos/o/r', 'gh pr merge 12 --squash', 'gh repo delete --help'],
    });
  });
});
