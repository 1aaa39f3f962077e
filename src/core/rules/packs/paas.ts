import type { Condition, RulePack } from '../types';

/*
 * Platform CLIs that run and host applications: Heroku, Fly.io, Railway, Vercel, Netlify,
 * Supabase, Firebase, and the npm registry. Deleting an app, a database add-on, a volume or a
 * published package takes what users depend on with it; most of these platforms keep no copy.
 * Listing, reading, creating and deploying are allowed.
 */

const HEROKU = ['heroku'];
const FLY = ['fly', 'flyctl'];
const RAILWAY = ['railway'];
const VERCEL = ['vercel', 'vc'];
const NETLIFY = ['netlify', 'ntl'];
const SUPABASE = ['supabase'];
const FIREBASE = ['firebase'];
const NPM = ['npm'];
const PNPM = ['pnpm'];
const YARN = ['yarn'];

/**
 * An oclif-style `topic:command` (`apps:destroy`), also written with spaces (`apps destroy`), as
 * newer Heroku and Netlify CLIs accept. Each entry is a `:`-separated command; alternatives are `|`.
 */
function topic(...commands: string[]): Condition {
  return {
    any: commands.flatMap((c) => c.split('|')).flatMap((c) => [{ sub: [c] }, { sub: c.split(':') }]),
  };
}

/** The command names something after its subcommand words (`secrets unset NAME`, not bare `secrets unset`). */
function withTarget(words: string[]): Condition {
  return { sub: [...words, '*'] };
}

const NOT_DRY_RUN: Condition = { not: { option: ['dry-run'] } };

export const paasPack: RulePack = {
  id: 'paas',
  grammars: [
    {
      tools: HEROKU,
      valueOptions: ['a', 'app', 'r', 'remote', 'confirm', 't', 'team', 'space', 'c', 'check', 'x', 'exit-code', 'e', 'env', 's', 'size', 'type', 'json', 'num', 'n', 'source', 'role'],
      contextOptions: ['a', 'app', 'r', 'remote', 'confirm', 'space'],
      contextEnv: ['HEROKU_APP'],
    },
    {
      tools: FLY,
      valueOptions: ['a', 'app', 'c', 'config', 'r', 'region', 'o', 'org', 't', 'access-token', 'image', 'i', 'vm-size', 'size', 's', 'machine', 'process-group', 'group', 'select'],
      contextOptions: ['a', 'app', 'c', 'config', 'o', 'org'],
      contextEnv: ['FLY_APP'],
    },
    {
      tools: RAILWAY,
      valueOptions: ['s', 'service', 'e', 'environment', 'p', 'project'],
      contextOptions: ['e', 'environment', 's', 'service', 'p', 'project'],
      contextEnv: ['RAILWAY_ENVIRONMENT', 'RAILWAY_ENVIRONMENT_NAME', 'RAILWAY_PROJECT_ID'],
      contextSetters: [['environment'], ['link']],
    },
    {
      tools: VERCEL,
      valueOptions: ['S', 'scope', 't', 'token', 'A', 'local-config', 'Q', 'global-config', 'cwd', 'e', 'env', 'b', 'build-env', 'm', 'meta', 'environment', 'target', 'team'],
      contextOptions: ['S', 'scope', 'environment', 'target', 'team'],
      contextEnv: ['VERCEL_ORG_ID', 'VERCEL_PROJECT_ID'],
    },
    {
      tools: NETLIFY,
      valueOptions: ['context', 'scope', 'to', 't', 'from', 'site', 's', 'auth', 'filter', 'dir', 'd', 'functions', 'f', 'alias', 'message', 'm'],
      contextOptions: ['context', 'site', 's', 'to', 't'],
      contextEnv: ['NETLIFY_SITE_ID'],
    },
    {
      tools: SUPABASE,
      valueOptions: ['db-url', 'project-ref', 'p', 'password', 'workdir', 'profile', 'o', 'output', 'schema', 's', 'env-file', 'version', 'status', 'region', 'org-id'],
      contextOptions: ['db-url', 'project-ref', 'profile', 'workdir'],
      contextEnv: ['SUPABASE_PROJECT_ID', 'SUPABASE_PROJECT_REF'],
    },
    {
      tools: FIREBASE,
      valueOptions: ['P', 'project', 'token', 'account', 'only', 'except', 'm', 'message', 'instance', 'database', 'config', 'c', 'site', 'expires'],
      contextOptions: ['P', 'project', 'instance', 'database', 'site'],
      contextEnv: ['FIREBASE_PROJECT', 'GCLOUD_PROJECT', 'GOOGLE_CLOUD_PROJECT'],
      contextSetters: [['use']],
    },
  ],
  rules: [
    // ---- Heroku ---------------------------------------------------------------------------------
    {
      id: 'paas.heroku-apps-destroy',
      tools: HEROKU,
      when: topic('apps:destroy|apps:delete|destroy', 'spaces:destroy', 'pipelines:destroy'),
      severity: 'critical',
      title: 'Destroys a Heroku app',
      why: 'apps:destroy deletes the app with its dynos, config vars, add-ons (Heroku Postgres databases and their data included), domains and release history. A destroyed app cannot be restored; spaces:destroy does the same to a private space and pipelines:destroy to a pipeline.',
      saferAlternative: 'Put the app in maintenance and scale it down first; capture a database backup (`heroku pg:backups:capture -a APP`) and `heroku config -a APP` before destroying anything.',
    },
    {
      id: 'paas.heroku-pg-data',
      tools: HEROKU,
      when: topic('pg:reset', 'pg:copy', 'pg:backups:restore', 'pg:backups:delete|pg:backups:destroy', 'pg:killall', 'pg:unfollow', 'redis:reset'),
      severity: 'critical',
      title: 'Resets or overwrites a Heroku database',
      why: 'pg:reset drops every table and all data in the database; pg:copy and pg:backups:restore overwrite the target database with another one; pg:backups:delete removes the backup you would restore from; pg:unfollow turns a follower into an independent database for good.',
      saferAlternative: 'Capture a backup first (`heroku pg:backups:capture`), check which database is DATABASE_URL (`heroku pg:info`), and rehearse on a staging app.',
    },
    {
      id: 'paas.heroku-addons-destroy',
      tools: HEROKU,
      when: topic('addons:destroy|addons:remove|addons:delete'),
      severity: 'high',
      title: 'Destroys a Heroku add-on',
      why: 'Destroying an add-on deletes the resource behind it — for a Postgres, Redis or Kafka add-on that is the data itself — and removes its config var from every attached app.',
      saferAlternative: 'Check what it is and who uses it (`heroku addons:info`), back up its data, and detach it first (`heroku addons:detach`) if only one app should lose it.',
    },
    {
      id: 'paas.heroku-repo-reset',
      tools: HEROKU,
      when: topic('repo:reset'),
      severity: 'high',
      title: 'Empties an app’s Heroku git repository',
      why: 'repo:reset deletes the app’s git repository on Heroku; the history pushed there is gone.',
      saferAlternative: 'Clone it first (`heroku git:clone -a APP`), or use `repo:purge_cache` if the goal is only to clear the build cache.',
    },
    {
      id: 'paas.heroku-availability',
      tools: HEROKU,
      when: {
        any: [
          topic('maintenance:on', 'ps:kill|ps:stop', 'container:rm', 'releases:rollback|rollback', 'domains:remove|domains:clear', 'certs:remove'),
          { all: [topic('ps:scale|scale'), { positionalMatches: '=0+(:|$)', skip: 1 }] },
        ],
      },
      severity: 'medium',
      title: 'Takes a Heroku app offline or changes what it serves',
      why: 'Maintenance mode, stopping or killing dynos, scaling a process type to 0 and removing process containers take the app (or part of it) off line; rolling back deploys old code against the current database; removing domains or certificates breaks the app’s address.',
      saferAlternative: 'Check the app and process type (`heroku ps -a APP`, `heroku releases -a APP`) and make sure this is the intended app; restart a single dyno rather than stopping the formation.',
    },
    {
      id: 'paas.heroku-access-config',
      tools: HEROKU,
      when: {
        any: [
          topic('members:remove', 'access:remove', 'clients:destroy', 'authorizations:revoke|authorizations:destroy'),
          { sub: ['config:unset|config:remove', '*'] },
          { sub: ['config', 'unset|remove', '*'] },
        ],
      },
      severity: 'medium',
      title: 'Removes Heroku access or config vars',
      why: 'Removing a member, a collaborator or an OAuth client cuts their access at once; config:unset deletes config vars (often the only copy of a secret) and restarts the app without them.',
      saferAlternative: 'Save the current values first (`heroku config -a APP --json`) and check who relies on the access being removed.',
    },

    // ---- Fly.io ---------------------------------------------------------------------------------
    {
      id: 'paas.fly-apps-destroy',
      tools: FLY,
      when: { any: [{ sub: ['apps|app', 'destroy|delete|remove|rm'] }, { sub: ['destroy'] }] },
      severity: 'critical',
      title: 'Destroys a Fly.io app',
      why: 'fly apps destroy deletes the app with all of its machines, volumes (and the data on them), secrets, certificates and IP addresses. It cannot be undone.',
      saferAlternative: 'Check the app (`fly status -a APP`, `fly volumes list -a APP`), snapshot its volumes and export its data first; `fly scale count 0` stops it without deleting anything.',
    },
    {
      id: 'paas.fly-postgres-destroy',
      tools: FLY,
      when: { any: [{ sub: ['postgres|pg|mpg', 'destroy|delete|remove|rm'] }, { sub: ['redis|tigris|storage|mysql|upstash|consul', 'destroy|delete|remove|rm'] }, { sub: ['ext|extensions', '*', 'destroy|delete|remove|rm'] }] },
      severity: 'critical',
      title: 'Destroys a Fly.io database or storage service',
      why: 'Destroying a Postgres cluster (or a Redis, Tigris or MySQL extension) deletes the database with its volumes; every app attached to it loses its data.',
      saferAlternative: 'Take a dump first (`fly postgres connect` + pg_dump, or `fly volumes snapshots create`) and check which apps are attached.',
    },
    {
      id: 'paas.fly-volume-destroy',
      tools: FLY,
      when: { sub: ['volumes|volume|vol|vols', 'destroy|delete|remove|rm'] },
      severity: 'high',
      title: 'Destroys a Fly.io volume',
      why: 'A volume is the disk a machine keeps its data on; destroying it deletes that data. Snapshots may not exist or may be hours old.',
      saferAlternative: 'Check it first (`fly volumes show VOL`, `fly volumes snapshots list VOL`) and create a fresh snapshot before destroying it.',
    },
    {
      id: 'paas.fly-secrets-unset',
      tools: FLY,
      when: withTarget(['secrets', 'unset|rm|remove|delete']),
      severity: 'high',
      title: 'Removes Fly.io secrets',
      why: 'Fly secrets cannot be read back once set, so unsetting one loses the value unless it is kept elsewhere; the app’s machines restart without it, which can take the app down.',
      saferAlternative: 'Make sure the value is stored elsewhere and that no code reads it (`fly secrets list` shows the names), and use `--stage` to apply the change at the next deploy.',
    },
    {
      id: 'paas.fly-capacity',
      tools: FLY,
      when: {
        any: [
          { sub: ['machine|machines|m', 'destroy|remove|rm|kill'] },
          { all: [{ sub: ['scale', 'count'] }, { positionalMatches: '^(\\w+=)?0+$', skip: 2 }] },
          { sub: ['ips', 'release|remove'] },
          { sub: ['certs|cert', 'remove|delete|rm'] },
        ],
      },
      severity: 'medium',
      title: 'Removes Fly.io machines, addresses or certificates',
      why: 'Destroying machines (their root file systems go with them) or scaling to zero takes capacity away; releasing an IP address or removing a certificate breaks the app’s address, and a released IP cannot be claimed back.',
      saferAlternative: 'Check `fly status` and `fly ips list` first; `fly machine stop` keeps a machine that can be started again.',
    },

    // ---- Railway --------------------------------------------------------------------------------
    {
      id: 'paas.railway-delete',
      tools: RAILWAY,
      // The CLI's own aliases: `railway rm`, `service remove`, `project rm`.
      when: { any: [{ sub: ['delete|rm|remove'] }, { sub: ['project|service', 'delete|rm|remove'] }] },
      severity: 'critical',
      title: 'Deletes a Railway project or service',
      why: 'Deleting a Railway project removes all of its services, databases, volumes and variables; the data in its databases is gone with it.',
      saferAlternative: 'Back up the databases first and check which project is linked (`railway status`).',
    },
    {
      id: 'paas.railway-volume-environment',
      tools: RAILWAY,
      when: { sub: ['volume|volumes|bucket|buckets|environment|environments|env', 'delete|rm|remove|detach'] },
      severity: 'high',
      title: 'Deletes a Railway volume, bucket or environment',
      why: 'Deleting a volume or a storage bucket deletes the data stored on it; deleting an environment deletes every service, database and variable in that environment.',
      saferAlternative: 'Check `railway status` and `railway volume list` first, and back up the data on the volume.',
    },
    {
      id: 'paas.railway-config-delete',
      tools: RAILWAY,
      when: { sub: ['variable|variables|vars|var|domain|domains|tcp-proxy|functions|function|func|fn|funcs|fns', 'delete|rm|remove'] },
      severity: 'high',
      title: 'Deletes Railway variables, domains or functions',
      why: 'A deleted variable’s value is not kept anywhere by Railway, and the service redeploys without it; a deleted domain or TCP proxy takes the address users reach the service by, and a custom domain has to be verified again.',
      saferAlternative: 'Save the values first (`railway variables --json`) and check which service and environment are linked (`railway status`).',
    },
    {
      id: 'paas.railway-down',
      tools: RAILWAY,
      when: { sub: ['down'] },
      severity: 'medium',
      title: 'Removes a Railway deployment',
      why: 'railway down removes the latest deployment of the linked service, which takes the service offline until it is deployed again.',
      saferAlternative: 'Check which service and environment are linked (`railway status`) first; redeploy or roll back in the dashboard to replace a bad deployment.',
    },

    // ---- Vercel ---------------------------------------------------------------------------------
    {
      id: 'paas.vercel-remove',
      tools: VERCEL,
      when: { any: [{ sub: ['remove|rm'] }, { sub: ['project|projects', 'remove|rm'] }] },
      severity: 'critical',
      title: 'Removes Vercel deployments or a project',
      why: 'vercel remove deletes deployments (given a project name, all of them) and `vercel project rm` deletes the project with its deployments, domains and environment variables. Sites served from them go offline and the deployments cannot be restored.',
      saferAlternative: 'List first (`vercel ls`, `vercel project ls`) and remove a single deployment by its URL; use `--safe` to keep deployments that have an alias.',
    },
    {
      id: 'paas.vercel-domain-remove',
      tools: VERCEL,
      when: { sub: ['domains|domain|dns|alias|aliases|certs|cert', 'remove|rm'] },
      severity: 'high',
      title: 'Removes a Vercel domain, DNS record or alias',
      why: 'Removing a domain, DNS record, alias or certificate takes the site off that address at once; a removed domain may be claimed by another account.',
      saferAlternative: 'Check what is served there (`vercel domains inspect DOMAIN`, `vercel dns ls`) and move traffic first.',
    },
    {
      id: 'paas.vercel-env-remove',
      tools: VERCEL,
      when: withTarget(['env|secrets|secret', 'remove|rm']),
      severity: 'high',
      title: 'Removes a Vercel environment variable',
      why: 'The next deployment builds and runs without the variable; an encrypted or sensitive variable cannot be read back, so its value is lost unless kept elsewhere.',
      saferAlternative: 'Pull the current values first (`vercel env pull .env.backup --environment=...`) and check which environments use it.',
    },

    // ---- Netlify --------------------------------------------------------------------------------
    {
      id: 'paas.netlify-sites-delete',
      tools: NETLIFY,
      when: topic('sites:delete'),
      severity: 'critical',
      title: 'Deletes a Netlify site',
      why: 'Deleting a site removes its deploys, domains, forms, environment variables and functions; the site goes offline and cannot be restored.',
      saferAlternative: 'Check which site is linked (`netlify status`) and export its settings and environment (`netlify env:list --json`) first.',
    },
    {
      id: 'paas.netlify-env-change',
      tools: NETLIFY,
      when: {
        any: [
          { sub: ['env:unset|env:delete|env:remove', '*'] },
          { sub: ['env', 'unset|delete|remove', '*'] },
          { all: [topic('env:clone'), { option: ['to', 't'] }] },
          topic('blobs:delete'),
        ],
      },
      severity: 'high',
      title: 'Removes or overwrites Netlify environment variables',
      why: 'env:unset deletes a variable from the site (every context, unless one is named); env:clone overwrites the variables of the target site with the source’s. The next deploy runs with the changed values, and overwritten ones are not kept.',
      saferAlternative: 'Save the current values first (`netlify env:list --json`) and name the exact context.',
    },

    // ---- Supabase -------------------------------------------------------------------------------
    {
      id: 'paas.supabase-remote-reset',
      tools: SUPABASE,
      when: { all: [{ sub: ['db', 'reset'] }, { option: ['linked', 'db-url'] }] },
      severity: 'critical',
      title: 'Resets a remote Supabase database',
      why: 'With --linked or --db-url, db reset drops everything in the remote database and rebuilds it from the local migrations and seed; all data in it is lost.',
      saferAlternative: 'Dump it first (`supabase db dump --linked -f backup.sql` with `--data-only` as well), and reset only the local database (no --linked).',
    },
    {
      id: 'paas.supabase-local-reset',
      tools: SUPABASE,
      when: { all: [{ sub: ['db', 'reset'] }, { not: { option: ['linked', 'db-url'] } }, { not: { option: ['help', 'h'] } }] },
      severity: 'medium',
      title: 'Resets the local Supabase database',
      why: 'db reset drops the local database and rebuilds it from the migrations and the seed file. Rows added by hand or by tests since, and anything not in a migration, are gone.',
      saferAlternative: 'Dump what you want to keep first (`supabase db dump --local --data-only -f local-data.sql`).',
    },
    {
      id: 'paas.supabase-project-delete',
      tools: SUPABASE,
      when: { sub: ['projects', 'delete|rm'] },
      severity: 'critical',
      title: 'Deletes a Supabase project',
      why: 'Deleting a project deletes its database, storage buckets, auth users, edge functions and secrets. It cannot be undone.',
      saferAlternative: 'Dump the database (`supabase db dump --linked`) and download storage first; pause the project in the dashboard if the goal is to stop it.',
    },
    {
      id: 'paas.supabase-delete',
      tools: SUPABASE,
      when: {
        any: [
          { sub: ['branches', 'delete|disable'] },
          { sub: ['storage', 'rm'] },
          withTarget(['secrets', 'unset']),
          { sub: ['functions', 'delete'] },
          { sub: ['migration', 'repair'] },
        ],
      },
      severity: 'high',
      title: 'Deletes Supabase branches, files, functions or secrets',
      why: 'Deleting a branch deletes its database; `storage rm` deletes files; unsetting secrets or deleting functions breaks what runs on them; migration repair rewrites the migration history the next push compares against.',
      saferAlternative: 'List what would go first (`supabase branches list`, `supabase storage ls`, `supabase secrets list`) and dump branch databases you still need.',
    },

    // ---- Firebase -------------------------------------------------------------------------------
    {
      id: 'paas.firebase-data-delete',
      tools: FIREBASE,
      when: { sub: ['firestore:delete|firestore:databases:delete|database:remove|database:set|database:instances:delete|projects:delete|auth:delete'] },
      severity: 'high',
      title: 'Deletes or overwrites Firebase data',
      why: 'firestore:delete deletes documents (with -r or --all-collections, whole collection trees) and database:remove / database:set delete or overwrite Realtime Database paths. Firebase keeps no undo; only a separate export or point-in-time recovery brings the data back.',
      saferAlternative: 'Export first (`gcloud firestore export`, `firebase database:get PATH > backup.json`), and check the project (`firebase use`).',
    },
    {
      id: 'paas.firebase-hosting-functions',
      tools: FIREBASE,
      when: {
        any: [
          { sub: ['hosting:disable|hosting:sites:delete|hosting:channel:delete|functions:delete|apphosting:backends:delete|ext:uninstall|remoteconfig:rollback'] },
          { all: [{ sub: ['deploy'] }, { option: ['force', 'f'] }] },
        ],
      },
      severity: 'high',
      title: 'Takes Firebase hosting or functions down',
      why: 'hosting:disable stops serving the site, and deleting sites, backends, functions or extensions removes what production calls; `deploy --force` deletes functions missing from the local source without asking.',
      saferAlternative: 'Check the active project (`firebase use`) and list what would go (`firebase functions:list`, `firebase hosting:sites:list`); deploy without --force to be asked about deletions.',
    },

    // ---- npm registry ---------------------------------------------------------------------------
    {
      id: 'paas.npm-unpublish',
      tools: [...NPM, ...PNPM, ...YARN],
      when: { all: [{ any: [{ sub: ['unpublish'] }, { sub: ['npm', 'unpublish'] }] }, NOT_DRY_RUN] },
      severity: 'critical',
      title: 'Unpublishes a package from the registry',
      why: 'Unpublishing removes a version (or, with a bare name and --force, every version) from the registry. Every project and lockfile that depends on it fails to install, and the name@version can never be published again.',
      saferAlternative: 'Deprecate the version instead (`npm deprecate PKG@VERSION "reason"`) and publish a fixed one; run with --dry-run to see what would be removed.',
    },
    {
      id: 'paas.npm-registry-change',
      tools: [...NPM, ...PNPM, ...YARN],
      when: {
        any: [
          withTarget(['deprecate']),
          { sub: ['npm', 'deprecate', '*'] },
          { sub: ['dist-tag|dist-tags', 'rm|remove|del'] },
          { sub: ['owner|author', 'rm|remove'] },
          { sub: ['npm', 'tag', 'remove'] },
        ],
      },
      severity: 'high',
      title: 'Deprecates a package or changes its tags or owners',
      why: 'Deprecating prints a warning to everyone who installs the package or version range and hides the package from search; removing a dist-tag or an owner changes what `npm install` resolves or who can publish fixes. These act on the public registry at once.',
      saferAlternative: 'Check the version range and package name first (`npm view PKG versions dist-tags maintainers`); an empty message (`npm deprecate PKG@RANGE ""`) undoes a deprecation.',
    },
  ],
};
