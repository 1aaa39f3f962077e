import assert from 'node:assert/strict';
import { expectAllow, expectPause } from '../../helpers/engine';

describe('git pack', () => {
  it('pauses force pushes in every flag form, critical on shared branches', async () => {
    for (const line of ['git push --force', 'git push -f', 'git push origin feature --force', 'git push origin -f', 'git push --force=true origin feat', 'git push origin +feature', 'git push --force --force-if-includes origin feat']) {
      await expectPause(line, 'git.push-force');
    }
    for (const line of ['git push --force origin main', 'git push -f origin master', 'git push origin +main', 'git push origin HEAD:refs/heads/main -f', 'git push -f origin release/1.2', 'git push origin production --force']) {
      const v = await expectPause(line, 'git.push-force-protected');
      assert.equal(v.severity, 'critical', line);
    }
  });
  it('pauses force pushes under a lease, below a bare force (a fetch renews the lease unseen)', async () => {
    for (const line of ['git push --force-with-lease', 'git push --force-with-lease=refs/heads/feature', 'git push -f --force-with-lease', 'git push --force --force-with-lease origin feat', 'git push --force-with-lease origin +feat', 'git push --force-with origin feat']) {
      const v = await expectPause(line, 'git.push-force-with-lease');
      assert.equal(v.severity, 'medium', line);
    }
    for (const line of ['git push --force-with-lease origin main', 'git push --force-with-lease=refs/heads/main', 'git push --force-with-lease=main:abc123 origin HEAD']) {
      await expectPause(line, 'git.push-force-with-lease-protected');
    }
    // A lease on one named ref leaves the other forced refs without one.
    await expectPause('git push --force-with-lease=main origin +feature', 'git.push-force');
    await expectPause('git push -f --force-with-lease=docs origin feature docs', 'git.push-force');
  });
  it('allows plain pushes and --force-if-includes alone', async () => {
    for (const line of ['git push', 'git push origin main', 'git push -u origin feature', 'git push origin feature --force-if-includes', 'git push --dry-run origin main', 'git push --force-with-lease --dry-run', 'git push -f -n origin main', 'git push --delete --dry-run origin feat']) {
      await expectAllow(line);
    }
  });
  it('pauses mirror pushes and remote deletions', async () => {
    for (const line of ['git push --mirror', 'git push origin --mirror']) await expectPause(line, 'git.push-mirror');
    for (const line of ['git push origin --delete feature', 'git push --delete origin feature', 'git push -d origin feature', 'git push origin :feature', 'git push origin :refs/tags/v1', 'git push --prune origin']) {
      await expectPause(line, 'git.push-delete');
    }
    for (const line of ['git push origin --delete main', 'git push origin :main']) await expectPause(line, 'git.push-delete-protected');
  });
  it('reads git global options before the subcommand', async () => {
    for (const line of ['git -C repo reset --hard', 'git -Crepo reset --hard', 'git --git-dir=repo/.git reset --hard', 'git --git-dir repo/.git reset --hard', 'git --work-tree=repo reset --hard', 'git --no-pager reset --hard', 'git -c foo=bar reset --hard', 'git -cfoo=bar reset --hard', 'git -c core.x=1 -C repo push -f']) {
      const v = await expectPause(line, line.includes('push') ? 'git.push-force' : 'git.reset-hard');
      assert.ok(v.findings.length > 0);
    }
    for (const line of ['git -C repo status', 'git -Crepo status', 'git --git-dir=x log', 'git -c color.ui=never diff', 'git --version', 'git --help', 'git']) await expectAllow(line);
  });
  it('pauses `git -- <subcommand> --option`, which hides the options from rules', async () => {
    await expectPause('git -- reset --hard', 'git.options-hidden-by-double-dash');
    for (const line of ['git --', 'git -- --help', 'git -- status']) await expectAllow(line);
  });
  it('pauses reset --hard/--merge through wrappers, allows soft/mixed/keep', async () => {
    for (const line of ['git reset --hard', 'git reset --hard HEAD~3', 'git reset -q --hard', 'git reset --merge', 'git reset --har', 'sudo git reset --hard', 'env GIT_DIR=.git git reset --hard', "bash -c 'git reset --hard'", 'echo ok | xargs git reset --hard', '\\git reset --hard', '"git" reset --hard', '/usr/bin/git reset --hard', 'git status && git reset --hard', 'echo $(git reset --hard)']) {
      await expectPause(line, 'git.reset-hard');
    }
    for (const line of ['git reset', 'git reset HEAD', 'git reset --soft HEAD~1', 'git reset --mixed HEAD', 'git reset --keep HEAD~1', 'git reset HEAD file.txt']) await expectAllow(line);
  });
  it('raises severity for a production repository path', async () => {
    const v = await expectPause('git -C /srv/prod/app reset --hard', 'git.reset-hard');
    assert.equal(v.severity, 'critical');
  });
  it('pauses forced checkouts and switches', async () => {
    for (const line of ['git checkout -f main', 'git checkout --force main', 'git checkout -qf main', 'git checkout main -f', 'git checkout -f', 'git switch -f main', 'git switch --discard-changes main', 'git -C repo switch -f main', 'git checkout -f -B feature HEAD~1']) {
      await expectPause(line, 'git.checkout-force');
    }
    for (const line of ['git checkout main', 'git checkout -b feature', 'git checkout -bfeature', 'git checkout -qbfeature', 'git checkout -Bnew', 'git checkout --orphan gh-pages', 'git checkout -', 'git switch main', 'git switch -c feature', 'git switch -cfeature', 'git switch -- -f', 'git checkout --detach main', 'git checkout -U3 main']) {
      await expectAllow(line);
    }
  });
  it('pauses checkout/restore that overwrite working-tree files', async () => {
    for (const line of ['git checkout -- .', 'git checkout .', 'git checkout -- ./', "git checkout -- '*'", 'git checkout HEAD -- .', 'git checkout --pathspec-from-file=paths.txt main', 'git restore .', 'git restore --worktree .', 'git restore --staged --worktree .', 'git restore -SW .', 'git restore --source=HEAD .']) {
      await expectPause(line, 'git.discard-all-changes');
    }
    for (const line of ['git checkout -- file.txt', 'git checkout HEAD -- file.txt', 'git checkout HEAD file.txt', 'git checkout main a.txt b.txt', 'git checkout -- -f', 'git checkout --recurse-submodules main file.txt', 'git restore file.txt', 'git restore -W file.txt', 'git restore -s HEAD~1 src/a.ts']) {
      await expectPause(line, 'git.discard-file-changes');
    }
    for (const line of ['git restore --staged file.txt', 'git restore -S file.txt', 'git restore --staged .', 'git restore --help', 'git checkout --track direct main', 'git checkout --recurse-submodules checkout main', 'git checkout --conflict merge main', 'git checkout -b new main']) {
      await expectAllow(line);
    }
  });
  it('pauses git clean with force unless it is a dry run', async () => {
    for (const line of ['git clean -f', 'git clean --force', 'git clean -fd', 'git clean -fdx', 'git clean -ffdx', 'git clean -xdf', 'git clean -d -f', 'git clean --force -d', 'sudo git clean -fd']) {
      await expectPause(line, 'git.clean-force');
    }
    for (const line of ['git clean -n', 'git clean --dry-run', 'git clean -nd', 'git clean -fdn', 'git clean -n -f']) await expectAllow(line);
  });
  it('pauses mass and forced git rm, allows --cached and single files', async () => {
    for (const line of ['git rm .', 'git rm -r .', 'git rm -rf .', "git rm '*'", 'git rm -f *']) await expectPause(line, 'git.rm-tree');
    await expectPause('git rm -f notes.txt', 'git.rm-force');
    for (const line of ['git rm README.md', 'git rm ..', 'git rm -r --cached .', 'git rm -n -r .']) await expectAllow(line);
  });
  it('pauses stash drop/clear, forced branch deletion, worktree/submodule force', async () => {
    for (const line of ['git stash drop', 'git stash drop stash@{0}']) await expectPause(line, 'git.stash-drop');
    await expectPause('git stash clear', 'git.stash-clear');
    for (const line of ['git branch -D feature', 'git branch -Dv feature', 'git branch --delete --force feature', 'git branch -d --force feature', 'git branch -d -f feature']) {
      await expectPause(line, 'git.branch-force-delete');
    }
    for (const line of ['git worktree remove --force /tmp/wt', 'git worktree remove -f /tmp/wt']) await expectPause(line, 'git.worktree-remove-force');
    await expectPause('git submodule deinit -f --all', 'git.submodule-deinit-force');
    for (const line of ['git stash', 'git stash list', 'git stash pop', 'git stash apply', 'git stash show -p', 'git stash clearing', 'git branch -d feature', 'git branch -a', 'git branch -M main', 'git worktree remove /tmp/wt', 'git worktree remove -- -f', 'git submodule status', 'git submodule deinit sub']) {
      await expectAllow(line);
    }
  });
  it('pauses history rewrites, reflog expiry, immediate pruning and ref deletion', async () => {
    for (const line of ['git filter-branch --env-filter x', 'git filter-repo --path secrets --invert-paths', 'git filter-branch --force']) await expectPause(line, 'git.rewrite-history');
    await expectPause('bfg --delete-files id_rsa', 'git.rewrite-history-tool');
    for (const line of ['git reflog expire --expire=now --all', 'git reflog expire --all --expire=now', 'git reflog expire --expire-unreachable=now', 'git reflog delete HEAD@{1}']) await expectPause(line, 'git.reflog-expire');
    for (const line of ['git gc --prune=now', 'git gc --aggressive --prune=now', 'git -c gc.pruneExpire=now gc', 'git prune']) await expectPause(line, 'git.prune-now');
    for (const line of ['git update-ref -d refs/heads/feature', 'git update-ref --delete refs/heads/main']) await expectPause(line, 'git.update-ref-delete');
    for (const line of ['git filter-repo --analyze', 'git reflog show', 'git reflog expire --expire=90.days', 'git gc', 'git gc --prune', 'git gc --aggressive', 'git prune -n', 'git rebase main', 'git rebase -i HEAD~3', 'git update-ref refs/heads/x HEAD']) {
      await expectAllow(line);
    }
  });
  it('pauses commands hidden in inline git config', async () => {
    for (const line of [
      "git -c 'alias.x=!rm -rf ~' x",
      'git -c core.sshCommand="sh -c id" fetch',
      'git --config-env=alias.x=CMD x',
      'git -c core.fsmonitor=./watch.sh status',
      'git -c core.hooksPath=.evil-hooks commit -m x',
      'git -c core.hooksPath=/dev/null/../tmp/hooks commit -m x',
    ]) {
      await expectPause(line, 'git.inline-command-config');
    }
    // The settings that switch those programs off: an agent's own hardened calls (Claude Code's, measured).
    for (const line of [
      'git -c core.pager=cat log',
      'git -c alias.st=status st',
      'git -c user.name=x commit -m y',
      "git -c core.hooksPath=/dev/null -c core.fsmonitor= -c safe.bareRepository=explicit -c protocol.file.allow=never ls-files --error-unmatch -- ':(icase).claude/settings.local.json'",
      'git -c core.fsmonitor=false status',
    ]) {
      await expectAllow(line);
    }
  });
  it('keeps quoted data and read-only commands allowed', async () => {
    for (const line of ['git status', 'git log --oneline -10', 'git diff HEAD~1', 'git show HEAD', 'git add .', 'git commit -m "git reset --hard"', "git commit -m 'fix: do not rm -rf root'", 'echo "git push --force"', "grep 'git checkout -- file' log.txt", 'git fetch --all', 'git pull --rebase', 'git merge --no-ff feature', 'git tag v1.0.0', 'git-lfs pull']) {
      await expectAllow(line);
    }
  });
});

describe('gh pack rules', () => {
  it('pauses repository deletion, archive, rename and visibility changes', async () => {
    for (const line of ['gh repo delete', 'gh repo delete myorg/myrepo --yes', 'gh  repo  delete']) {
      const v = await expectPause(line, 'git.gh-repo-delete');
      assert.equal(v.severity, 'critical');
    }
    await expectPause('gh repo archive myorg/myrepo', 'git.gh-repo-archive');
    await expectPause('gh repo rename new-name', 'git.gh-repo-rename');
    for (const line of ['gh repo edit --visibility public', "gh repo edit --description 'x' --visibility private", 'gh repo edit o/r --visibility=internal']) await expectPause(line, 'git.gh-repo-visibility');
  });
  it('pauses deleting releases, secrets, variables and other resources', async () => {
    for (const line of ['gh release delete v1.0.0', 'gh release delete v1.0.0 --cleanup-tag --yes', 'gh release delete-asset v1 app.zip']) await expectPause(line, 'git.gh-release-delete');
    await expectPause('gh secret delete MY_SECRET --org myorg', 'git.gh-secret-delete');
    const prod = await expectPause('gh secret delete MY_SECRET --env production', 'git.gh-secret-delete');
    assert.equal(prod.severity, 'critical');
    await expectPause('gh variable delete MY_VAR --env staging', 'git.gh-variable-delete');
    for (const line of ['gh gist delete 12345', 'gh issue delete 123', 'gh ssh-key delete 1', 'gh cache delete build-cache', 'gh run delete 42', 'gh repo deploy-key delete 7']) await expectPause(line, 'git.gh-delete-resource');
    await expectPause('gh workflow disable deploy.yml', 'git.gh-workflow-disable');
    await expectPause('gh pr merge 12 --admin --squash', 'git.gh-pr-merge-admin');
  });
  it('pauses DELETE calls through gh api', async () => {
    for (const line of ['gh api -X DELETE /repos/owner/repo', 'gh api --method delete repos/o/r/hooks/1', 'gh api graphql -f query="mutation { deleteRepository(input: {}) { clientMutationId } }"']) {
      await expectPause(line, 'git.gh-api-delete');
    }
  });
  it('allows read-only and creating gh commands', async () => {
    for (const line of ['gh repo list', 'gh repo view', 'gh repo create myrepo', 'gh repo deletee', 'gh repo archived', 'gh repo unarchive o/r', "gh repo edit --description 'new'", 'gh release list', 'gh release view v1', 'gh release create v1.0.0', 'gh secret list', 'gh secret set X', 'gh variable list', 'gh workflow list', 'gh workflow run deploy.yml --ref main', 'gh run watch 1', 'gh api repos/o/r', 'gh api -X GET repos/o/r', 'gh pr merge 12 --squash', 'gh repo delete --help']) {
      await expectAllow(line);
    }
  });
});
