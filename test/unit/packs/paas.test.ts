import { expectAllow, expectPause } from '../../helpers/engine';

async function expectSeverity(line: string, ruleId: string, severity: string): Promise<void> {
  const v = await expectPause(line, ruleId);
  const f = v.findings.find((x) => x.ruleId === ruleId);
  if (f?.severity !== severity) throw new Error(`${line}: expected ${severity}, got ${f?.severity}`);
}

describe('paas pack', () => {
  describe('heroku', () => {
    it('pauses destroying apps and resetting databases, in colon and space forms', async () => {
      for (const line of ['heroku apps:destroy', 'heroku   apps:destroy -a myapp --confirm myapp', 'heroku apps destroy --app myapp', 'heroku destroy', 'heroku spaces:destroy my-space', 'sudo heroku apps:destroy']) {
        await expectPause(line, 'paas.heroku-apps-destroy');
      }
      for (const line of ['heroku pg:reset DATABASE_URL', 'heroku pg:copy SRC DATABASE_URL -a app', 'heroku pg:backups:restore b101 DATABASE_URL', 'heroku pg backups restore b101 DATABASE_URL', 'heroku pg:backups:delete b101']) {
        await expectPause(line, 'paas.heroku-pg-data');
      }
      await expectSeverity('heroku addons:destroy heroku-postgresql -a prod-api', 'paas.heroku-addons-destroy', 'critical');
      await expectPause('heroku repo:reset -a app', 'paas.heroku-repo-reset');
    });
    it('pauses taking apps offline and removing access or config', async () => {
      for (const line of ['heroku maintenance:on', 'heroku ps:kill web.1', 'heroku ps:stop web', 'heroku ps:scale web=0 -a app', 'heroku container:rm web', 'heroku releases:rollback v12']) {
        await expectPause(line, 'paas.heroku-availability');
      }
      for (const line of ['heroku members:remove a@b.c', 'heroku access:remove a@b.c -a app', 'heroku clients:destroy id', 'heroku config:unset API_KEY -a app']) {
        await expectPause(line, 'paas.heroku-access-config');
      }
    });
    it('allows reads, deploys and look-alike names', async () => {
      for (const line of ['heroku apps', 'heroku apps:info -a app', 'heroku logs --tail', 'heroku config -a app', 'heroku ps:scale web=2', 'heroku pg:info', 'heroku config:unset', 'herokuu apps:destroy', 'herokuapps:destroy', 'heroku ps:restart', 'echo "heroku apps:destroy"']) {
        await expectAllow(line);
      }
    });
  });

  describe('fly.io', () => {
    it('pauses destroying apps, databases, volumes and secrets', async () => {
      for (const line of ['fly apps destroy', 'flyctl apps destroy my-app --yes', 'fly  apps  destroy', 'sudo fly apps destroy my-app', 'fly destroy my-app']) {
        await expectPause(line, 'paas.fly-apps-destroy');
      }
      for (const line of ['fly postgres destroy my-pg', 'flyctl pg destroy db', 'fly redis destroy cache', 'fly ext tigris destroy bucket']) {
        await expectPause(line, 'paas.fly-postgres-destroy');
      }
      for (const line of ['fly volumes destroy vol_abc123', 'fly volume destroy vol_1', 'fly vol delete vol_1 -y']) {
        await expectPause(line, 'paas.fly-volume-destroy');
      }
      await expectPause('fly secrets unset SECRET1 SECRET2', 'paas.fly-secrets-unset');
      await expectSeverity('fly secrets unset MY_SECRET --app prod-api', 'paas.fly-secrets-unset', 'critical');
      await expectPause('fly machine destroy 148e --force', 'paas.fly-capacity');
      await expectPause('fly scale count 0 -a app', 'paas.fly-capacity');
      await expectPause('fly ips release 1.2.3.4', 'paas.fly-capacity');
    });
    it('allows reads, creates and typos', async () => {
      for (const line of ['fly apps list', 'fly apps create my-app', 'flyy apps destroy my-app', 'fly apps destroyy', 'fly secrets list', 'fly secrets set A=b', 'fly secrets unset', 'fly volumes list', 'fly volumess destroy', 'fly postgres create', 'fly scale count 2', 'fly deploy', 'fly status']) {
        await expectAllow(line);
      }
    });
  });

  describe('railway, vercel, netlify', () => {
    it('pauses Railway deletes and down', async () => {
      await expectPause('railway delete', 'paas.railway-delete');
      await expectPause('railway volume delete -v data', 'paas.railway-volume-environment');
      await expectPause('railway environment delete staging', 'paas.railway-volume-environment');
      await expectSeverity('railway down -e production', 'paas.railway-down', 'high');
      for (const line of ['railway up', 'railway logs', 'railway status', 'railway volume list', 'railway environment']) await expectAllow(line);
    });
    it('pauses Vercel removals', async () => {
      for (const line of ['vercel remove', 'vercel rm my-project --yes', 'vercel rm --yes my-project', 'vercel project rm my-project', 'vercel projects remove p', 'sudo vercel remove my-project']) {
        await expectPause(line, 'paas.vercel-remove');
      }
      for (const line of ['vercel domains rm example.com', 'vercel domain remove example.com', 'vercel domains rm', 'vercel dns rm rec_1', 'vercel alias rm a.example.com']) {
        await expectPause(line, 'paas.vercel-domain-remove');
      }
      await expectPause('vercel env rm MY_VAR production', 'paas.vercel-env-remove');
      await expectPause('vercel --scope team env remove MY_VAR', 'paas.vercel-env-remove');
      for (const line of ['vercel list', 'vercel deploy', 'vercel rmm', 'vercel removal', 'vercel project list', 'vercel env ls', 'vercel env add MY_VAR', 'vercel env pull', 'vercel env rm', 'vercel domains ls', 'vercel domainss rm']) {
        await expectAllow(line);
      }
    });
    it('pauses Netlify site deletes and env changes', async () => {
      for (const line of ['netlify sites:delete', 'netlify sites:delete --force --site-id abc', 'sudo netlify sites:delete']) {
        await expectPause(line, 'paas.netlify-sites-delete');
      }
      await expectPause('netlify env:unset MY_VAR --context production', 'paas.netlify-env-change');
      await expectPause('netlify env:clone --from source-site --to target-site', 'paas.netlify-env-change');
      await expectPause('echo yes | netlify env:clone --to site-id', 'paas.netlify-env-change');
      for (const line of ['netlify sites:list', 'netlify sites:deletee', 'netlify sites:delete:extra', 'netlify deploy', 'netlify env:list', 'netlify env:set A b', 'netlify env:unset', 'netlify env:clone', 'netlify env:clonee --to x']) {
        await expectAllow(line);
      }
    });
  });

  describe('supabase and firebase', () => {
    it('pauses remote resets and deletes, the local reset below them', async () => {
      await expectPause('supabase db reset --linked', 'paas.supabase-remote-reset');
      await expectPause('supabase db reset --db-url postgres://u:p@db.example.com:5432/postgres', 'paas.supabase-remote-reset');
      await expectPause('supabase projects delete abcdef', 'paas.supabase-project-delete');
      await expectPause('supabase branches delete feature-x', 'paas.supabase-delete');
      await expectPause('supabase secrets unset STRIPE_KEY', 'paas.supabase-delete');
      await expectPause('supabase storage rm -r ss:///bucket/dir', 'paas.supabase-delete');
      // The local database is rebuilt from migrations: what was added by hand since is lost, so it pauses below a remote reset.
      await expectSeverity('supabase db reset', 'paas.supabase-local-reset', 'medium');
      for (const line of ['supabase db reset --help', 'supabase start', 'supabase db diff', 'supabase projects list', 'supabase secrets list', 'supabase secrets unset']) await expectAllow(line);
    });
    it('pauses Firebase data deletes and hosting/functions removal', async () => {
      await expectPause('firebase firestore:delete /users -r', 'paas.firebase-data-delete');
      await expectSeverity('firebase --project prod-app database:remove /', 'paas.firebase-data-delete', 'critical');
      await expectPause('firebase hosting:disable', 'paas.firebase-hosting-functions');
      await expectPause('firebase functions:delete api --force', 'paas.firebase-hosting-functions');
      await expectPause('firebase deploy --only functions --force', 'paas.firebase-hosting-functions');
      for (const line of ['firebase deploy', 'firebase deploy --only hosting', 'firebase projects:list', 'firebase database:get /users', 'firebase functions:list', 'firebase use']) await expectAllow(line);
    });
  });

  describe('npm registry', () => {
    it('pauses unpublish from npm, yarn and pnpm', async () => {
      for (const line of ['npm unpublish', 'npm unpublish my-package@1.0.0', 'npm unpublish --force', 'echo yes | npm unpublish my-package', 'yarn npm unpublish my-package --force', 'pnpm unpublish my-package@1.0.0 --force', 'sudo npm unpublish my-package']) {
        await expectPause(line, 'paas.npm-unpublish');
      }
    });
    it('pauses deprecate, dist-tag and owner removal', async () => {
      await expectPause("npm deprecate my-package@1.x 'use v2 instead'", 'paas.npm-registry-change');
      await expectPause("pnpm deprecate my-package 'old'", 'paas.npm-registry-change');
      await expectPause('npm dist-tag rm my-package beta', 'paas.npm-registry-change');
      await expectPause('npm owner rm someone my-package', 'paas.npm-registry-change');
    });
    it('allows publish, installs, reads and dry runs', async () => {
      for (const line of ['npm publish', 'npm install', 'npm list', 'npm info my-package', 'npm deprecate', 'npm unpublishh', 'npm unpublish my-package --dry-run', 'yarn npm publish', 'yarn npm info my-package', 'pnpm publish', 'pnpm install', 'npm dist-tag ls my-package']) {
        await expectAllow(line);
      }
    });
  });
});
