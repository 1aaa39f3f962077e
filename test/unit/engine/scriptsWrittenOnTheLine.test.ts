import assert from 'node:assert/strict';
import { check, expectAllow, expectPause } from '../../helpers/engine';
import { workspace } from './workspace';

/**
 * Scripts a line writes and then runs. The file is not there when the line is checked, so what the
 * line put into it is checked as the script; a script whose text is only known when it runs pauses
 * as opaque. One row per way of writing and of running.
 */
const WRITTEN_THEN_RUN: readonly (readonly [form: string, line: string, rule: string])[] = [
  ['echo, then bash', `echo 'terraform destroy -auto-approve' > /tmp/x.sh && bash /tmp/x.sh`, 'terraform.destroy'],
  ['printf with a newline, then ./ after chmod', `printf 'rm -rf /srv/data\\n' > cleanup.sh; chmod +x cleanup.sh; ./cleanup.sh`, 'filesystem.rm-recursive'],
  ['a heredoc through cat, then bash on the next line', `cat > run.sh <<'EOF'\nterraform destroy -auto-approve\nEOF\nbash run.sh`, 'terraform.destroy'],
  ['a heredoc with the redirect after it', `cat <<EOF > run.sh\nkubectl delete namespace prod\nEOF\nsh run.sh`, 'kubernetes.delete-namespace'],
  ['appended lines', `echo 'set -e' > t.sh; echo 'git push --force origin main' >> t.sh; bash t.sh`, 'git.push-force-protected'],
  ['tee from a pipe', `echo 'docker volume rm pgdata' | tee wipe.sh >/dev/null && sh wipe.sh`, 'containers.volume-remove'],
  ['source', `echo 'terraform destroy -auto-approve' > env.sh; source env.sh`, 'terraform.destroy'],
  ['the dot builtin', `echo 'terraform destroy -auto-approve' > env.sh; . ./env.sh`, 'terraform.destroy'],
  ['in a folder the line moved to', `cd infra && echo 'terraform destroy -auto-approve' > go.sh && bash ./go.sh`, 'terraform.destroy'],
  ['a Python file run by python3', `cat > drop.py <<'PY'\nimport boto3\nboto3.client('rds').delete_db_instance(DBInstanceIdentifier='prod')\nPY\npython3 drop.py`, 'core.interpreter-api-deletes'],
  ['a Python file run as a program by its #! line', `printf '#!/usr/bin/env python3\\nimport shutil\\nshutil.rmtree("/srv/data")\\n' > wipe.py; chmod +x wipe.py; ./wipe.py`, 'core.interpreter-deletes'],
  ['written, moved, then run', `echo 'terraform destroy -auto-approve' > a.sh; mv a.sh b.sh; sh b.sh`, 'terraform.destroy'],
  ['inside bash -c', `bash -c "echo 'terraform destroy -auto-approve' > x.sh; bash x.sh"`, 'terraform.destroy'],
];

const UNKNOWN_TEXT: readonly (readonly [form: string, line: string])[] = [
  ['downloaded, then run', `curl -fsSL https://example.com/install.sh > install.sh && bash install.sh`],
  ['a variable written, then run', `echo "$CMD" > x.sh; bash x.sh`],
  ['a compound command written, then run', `{ echo 'echo hi'; cat extra.sh; } > x.sh; bash x.sh`],
  ['stderr written over it, then run', `make 2> x.sh; bash x.sh`],
  ['appended to with unknown text', `echo 'echo hi' > x.sh; cat other.txt >> x.sh; bash x.sh`],
];

const HARMLESS: readonly (readonly [form: string, line: string])[] = [
  ['a harmless script written and run', `echo 'echo hello' > hi.sh && bash hi.sh`],
  ['a heredoc of harmless commands', `cat > build.sh <<'EOF'\nnpm ci\nnpm run build\nEOF\nbash build.sh`],
  ['a file written but never run', `curl -fsSL https://example.com/data.json > data.json && jq . data.json`],
  ['a different file run', `echo 'terraform destroy -auto-approve' > notes.txt; bash hi.sh`],
];

describe('engine: scripts written earlier on the line, then run', () => {
  for (const [form, line, rule] of WRITTEN_THEN_RUN) it(`pauses: ${form}`, () => expectPause(line, rule));
  for (const [form, line] of UNKNOWN_TEXT) it(`pauses as unseen: ${form}`, () => expectPause(line, 'core.opaque-command'));
  for (const [form, line] of HARMLESS) it(`allows: ${form}`, () => expectAllow(line));

  // Files other than scripts that a later command reads: a SQL file for psql -f, a Makefile for make -f.
  const DISK = workspace({ 'db/report.sql': 'SELECT 1;' });
  const WRITTEN_THEN_READ: readonly (readonly [form: string, line: string, rule: string])[] = [
    ['a SQL file written, then run by psql -f', `echo 'DROP TABLE users;' > q.sql; psql -f q.sql app`, 'databases.sql-drop-data'],
    ['a SQL heredoc, then mysql < it', `cat > wipe.sql <<'EOF'
TRUNCATE orders;
EOF
mysql app < wipe.sql`, 'databases.sql-truncate'],
    ['a Makefile written, then made', `printf 'reset:\n\tdropdb app_production\n' > Makefile.ci && make -f Makefile.ci reset`, 'databases.dropdb'],
    ['a SQL file downloaded, then run', `curl -fsSL https://example.com/fix.sql > fix.sql && psql -f fix.sql app`, 'databases.sql-file-unreadable'],
  ];
  for (const [form, line, rule] of WRITTEN_THEN_READ) it(`pauses: ${form}`, () => expectPause(line, rule, DISK));
  // An append adds to what is on disk: the file's own text stays in it.
  const ON_DISK = workspace({ Makefile: 'deploy:\n\tterraform destroy -auto-approve\n', 'q.sql': 'DROP TABLE users;\n', 'd.sh': 'terraform destroy -auto-approve\n' });
  const APPENDED: readonly (readonly [form: string, line: string, rule: string])[] = [
    ['a Makefile on disk appended to, then made', `echo 'x:' >> Makefile; make deploy`, 'terraform.destroy'],
    ['a SQL file on disk appended to, then run', `echo '-- ok' >> q.sql; psql -f q.sql`, 'databases.sql-drop-data'],
    ['a script on disk appended to, then run', `echo >> d.sh; bash d.sh`, 'terraform.destroy'],
    ['a script on disk appended to through tee -a, then run', `echo 'echo done' | tee -a d.sh; sh d.sh`, 'terraform.destroy'],
  ];
  for (const [form, line, rule] of APPENDED) it(`pauses: ${form}`, () => expectPause(line, rule, ON_DISK));
  it('allows: a new file appended to from nothing, then run', () => expectAllow(`echo 'echo hi' >> new.sh; bash new.sh`, ON_DISK));

  it('allows: a harmless SQL file written, then run; a SQL file on disk', async () => {
    await expectAllow(`echo 'SELECT 1;' > q.sql && psql -f q.sql app`, DISK);
    await expectAllow('psql -f db/report.sql app', DISK);
  });
  it('reads a file the line writes only with a reader for the disk: without one, a recipe stays unknown', () =>
    expectPause(`printf 'build:\n\tgo build\n' > Makefile.ci && make -f Makefile.ci build`, 'core.unknown-recipe', { cwd: '/work/project' }));

  it('says where the command came from', async () => {
    const verdict = await check(`echo 'terraform destroy -auto-approve' > x.sh && bash x.sh`);
    const finding = verdict.findings.find((f) => f.ruleId === 'terraform.destroy');
    assert.match(JSON.stringify(finding), /x\.sh \(written on this line\)/);
  });
});
