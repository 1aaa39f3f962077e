import { packCases, pauses } from './packCases';

describe('paas pack', () => {
  describe('heroku', () => {
    describe('pauses destroying apps and resetting databases, in colon and space forms', () => {
      packCases({
        pause: [
          ...pauses('paas.heroku-apps-destroy', ['heroku apps:destroy', 'heroku   apps:destroy -a myapp --confirm myapp', 'heroku apps destroy --app myapp', 'heroku destroy', 'heroku spaces:destroy my-space', 'sudo heroku apps:destroy']),
          ...pauses('paas.heroku-pg-data', ['heroku pg:reset DATABASE_URL', 'heroku pg:copy SRC DATABASE_URL -a app', 'heroku pg:backups:restore b101 DATABASE_URL', 'heroku pg backups restore b101 DATABASE_URL', 'heroku pg:backups:delete b101']),
          { line: 'heroku addons:destroy heroku-postgresql -a prod-api', rule: 'paas.heroku-addons-destroy', ruleSeverity: 'critical' },
          ...pauses('paas.heroku-repo-reset', ['heroku repo:reset -a app']),
        ],
      });
    });
    describe('pauses taking apps offline and removing access or config', () => {
      packCases({
        pause: [
          ...pauses('paas.heroku-availability', ['heroku maintenance:on', 'heroku ps:kill web.1', 'heroku ps:stop web', 'heroku ps:scale web=0 -a app', 'heroku container:rm web', 'heroku releases:rollback v12']),
          ...pauses('paas.heroku-access-config', ['heroku members:remove a@b.c', 'heroku access:remove a@b.c -a app', 'heroku clients:destroy id', 'heroku config:unset API_KEY -a app']),
        ],
      });
    });
    describe('allows reads, deploys and look-alike names', () => {
      packCases({
        allow: ['heroku apps', 'heroku apps:info -a app', 'heroku logs --tail', 'heroku config -a app', 'heroku ps:scale web=2', 'heroku pg:info', 'heroku config:unset', 'herokuapps:destroy', 'heroku ps:restart', 'echo "heroku apps:destroy"'],
        // A name a letter away from heroku is another tool, not a typo waved through: its destroy asks (generic pack).
        pause: pauses('generic.destructive-command', ['herokuu apps:destroy']),
      });
    });
  });

  describe('fly.io', () => {
    describe('pauses destroying apps, databases, volumes and secrets', () => {
      packCases({
        pause: [
          ...pauses('paas.fly-apps-destroy', ['fly apps destroy', 'flyctl apps destroy my-app --yes', 'fly  apps  destroy', 'sudo fly apps destroy my-app', 'fly destroy my-app']),
          ...pauses('paas.fly-postgres-destroy', ['fly postgres destroy my-pg', 'flyctl pg destroy db', 'fly redis destroy cache', 'fly ext tigris destroy bucket']),
          ...pauses('paas.fly-volume-destroy', ['fly volumes destroy vol_abc123', 'fly volume destroy vol_1', 'fly vol delete vol_1 -y']),
          ...pauses('paas.fly-secrets-unset', ['fly secrets unset SECRET1 SECRET2']),
          { line: 'fly secrets unset MY_SECRET --app prod-api', rule: 'paas.fly-secrets-unset', ruleSeverity: 'critical' },
          ...pauses('paas.fly-capacity', ['fly machine destroy 148e --force', 'fly scale count 0 -a app', 'fly ips release 1.2.3.4']),
        ],
      });
    });
    describe('allows reads, creates and typos', () => {
      packCases({
        // A name a letter away from fly is another tool, not a typo waved through: its destroy asks (generic pack).
        pause: pauses('generic.destructive-command', ['flyy apps destroy my-app']),
        allow: ['fly apps list', 'fly apps create my-app', 'fly apps destroyy', 'fly secrets list', 'fly secrets set A=b', 'fly secrets unset', 'fly volumes list', 'fly volumess destroy', 'fly postgres create', 'fly scale count 2', 'fly deploy', 'fly status'],
      });
    });
  });

  describe('railway, vercel, netlify', () => {
    describe('pauses Railway deletes and down', () => {
      packCases({
        pause: [
          ...pauses('paas.railway-delete', ['railway delete']),
          ...pauses('paas.railway-volume-environment', ['railway volume delete -v data', 'railway environment delete staging']),
          { line: 'railway down -e production', rule: 'paas.railway-down', ruleSeverity: 'high' },
        ],
        allow: ['railway up', 'railway logs', 'railway status', 'railway volume list', 'railway environment'],
      });
    });
    describe('pauses Vercel removals', () => {
      packCases({
        pause: [
          ...pauses('paas.vercel-remove', ['vercel remove', 'vercel rm my-project --yes', 'vercel rm --yes my-project', 'vercel project rm my-project', 'vercel projects remove p', 'sudo vercel remove my-project']),
          ...pauses('paas.vercel-domain-remove', ['vercel domains rm example.com', 'vercel domain remove example.com', 'vercel domains rm', 'vercel dns rm rec_1', 'vercel alias rm a.example.com']),
          ...pauses('paas.vercel-env-remove', ['vercel env rm MY_VAR production', 'vercel --scope team env remove MY_VAR']),
        ],
        allow: ['vercel list', 'vercel deploy', 'vercel rmm', 'vercel removal', 'vercel project list', 'vercel env ls', 'vercel env add MY_VAR', 'vercel env pull', 'vercel env rm', 'vercel domains ls', 'vercel domainss rm'],
      });
    });
    describe('pauses Netlify site deletes and env changes', () => {
      packCases({
        pause: [
          ...pauses('paas.netlify-sites-delete', ['netlify sites:delete', 'netlify sites:delete --force --site-id abc', 'sudo netlify sites:delete']),
          ...pauses('paas.netlify-env-change', ['netlify env:unset MY_VAR --context production', 'netlify env:clone --from source-site --to target-site', 'echo yes | netlify env:clone --to site-id']),
        ],
        allow: ['netlify sites:list', 'netlify sites:deletee', 'netlify sites:delete:extra', 'netlify deploy', 'netlify env:list', 'netlify env:set A b', 'netlify env:unset', 'netlify env:clone', 'netlify env:clonee --to x'],
      });
    });
  });

  describe('supabase and firebase', () => {
    describe('pauses remote resets and deletes, the local reset below them', () => {
      packCases({
        pause: [
          ...pauses('paas.supabase-remote-reset', ['supabase db reset --linked', 'supabase db reset --db-url postgres://u:p@db.example.com:5432/postgres']),
          ...pauses('paas.supabase-project-delete', ['supabase projects delete abcdef']),
          ...pauses('paas.supabase-delete', ['supabase branches delete feature-x', 'supabase secrets unset STRIPE_KEY', 'supabase storage rm -r ss:///bucket/dir']),
          // The local database is rebuilt from migrations: what was added by hand since is lost, so it pauses below a remote reset.
          { line: 'supabase db reset', rule: 'paas.supabase-local-reset', ruleSeverity: 'medium' },
        ],
        allow: ['supabase db reset --help', 'supabase start', 'supabase db diff', 'supabase projects list', 'supabase secrets list', 'supabase secrets unset'],
      });
    });
    describe('pauses Firebase data deletes and hosting/functions removal', () => {
      packCases({
        pause: [
          ...pauses('paas.firebase-data-delete', ['firebase firestore:delete /users -r']),
          { line: 'firebase --project prod-app database:remove /', rule: 'paas.firebase-data-delete', ruleSeverity: 'critical' },
          ...pauses('paas.firebase-hosting-functions', ['firebase hosting:disable', 'firebase functions:delete api --force', 'firebase deploy --only functions --force']),
        ],
        allow: ['firebase deploy', 'firebase deploy --only hosting', 'firebase projects:list', 'firebase database:get /users', 'firebase functions:list', 'firebase use'],
      });
    });
  });

  describe('npm registry', () => {
    describe('pauses unpublish from npm, yarn and pnpm', () => {
      packCases({
        pause: pauses('paas.npm-unpublish', ['npm unpublish', 'npm unpublish my-package@1.0.0', 'npm unpublish --force', 'echo yes | npm unpublish my-package', 'yarn npm unpublish my-package --force', 'pnpm unpublish my-package@1.0.0 --force', 'sudo npm unpublish my-package']),
      });
    });
    describe('pauses deprecate, dist-tag and owner removal', () => {
      packCases({
        pause: pauses('paas.npm-registry-change', ["npm deprecate my-package@1.x 'use v2 instead'", "pnpm deprecate my-package 'old'", 'npm dist-tag rm my-package beta', 'npm owner rm someone my-package']),
      });
    });
    describe('allows publish, installs, reads and dry runs', () => {
      packCases({
        allow: ['npm publish', 'npm install', 'npm list', 'npm info my-package', 'npm deprecate', 'npm unpublishh', 'npm unpublish my-package --dry-run', 'yarn npm publish', 'yarn npm info my-package', 'pnpm publish', 'pnpm install', 'npm dist-tag ls my-package'],
      });
    });
  });
});
