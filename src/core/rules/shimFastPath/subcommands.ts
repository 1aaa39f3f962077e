/**
 * The subcommands each tool documents: the candidate first words for the fast path. A word listed
 * here is never fast by itself; the rule packs decide (see table.ts), and the lists deliberately hold
 * the destructive subcommands too (`push`, `delete`, `destroy`), which the rules then keep asking.
 * A first word not listed (a plugin, an alias, a new subcommand) is always asked about.
 * Only facts about the tools' command lines live here, the way grammars are facts in the packs.
 */

const GIT = [
  'add', 'am', 'annotate', 'apply', 'archive', 'bisect', 'blame', 'branch', 'bundle', 'cat-file', 'check-ignore', 'checkout',
  'cherry', 'cherry-pick', 'clean', 'clone', 'commit', 'config', 'count-objects', 'describe', 'diff', 'difftool', 'fetch',
  'filter-branch', 'for-each-ref', 'format-patch', 'fsck', 'gc', 'grep', 'help', 'init', 'log', 'ls-files', 'ls-remote', 'ls-tree',
  'merge', 'merge-base', 'mergetool', 'mv', 'name-rev', 'notes', 'prune', 'pull', 'push', 'range-diff', 'rebase', 'reflog', 'remote',
  'repack', 'replace', 'reset', 'restore', 'rev-list', 'rev-parse', 'revert', 'rm', 'shortlog', 'show', 'show-branch', 'show-ref',
  'sparse-checkout', 'stash', 'status', 'submodule', 'switch', 'symbolic-ref', 'tag', 'update-index', 'update-ref', 'var',
  'verify-commit', 'verify-tag', 'version', 'whatchanged', 'worktree',
];

const GH = [
  'alias', 'api', 'attestation', 'auth', 'browse', 'cache', 'codespace', 'completion', 'config', 'extension', 'gist', 'gpg-key',
  'issue', 'label', 'org', 'pr', 'project', 'release', 'repo', 'ruleset', 'run', 'search', 'secret', 'ssh-key', 'status',
  'variable', 'workflow',
];

const CONTAINER_ENGINE = [
  'attach', 'build', 'builder', 'buildx', 'commit', 'compose', 'config', 'container', 'context', 'cp', 'create', 'diff', 'events',
  'exec', 'export', 'history', 'image', 'images', 'import', 'info', 'inspect', 'kill', 'load', 'login', 'logout', 'logs',
  'manifest', 'network', 'node', 'pause', 'plugin', 'port', 'ps', 'pull', 'push', 'rename', 'restart', 'rm', 'rmi', 'run', 'save',
  'search', 'secret', 'service', 'stack', 'start', 'stats', 'stop', 'swarm', 'system', 'tag', 'top', 'unpause', 'update',
  'version', 'volume', 'wait',
];

const COMPOSE = [
  'build', 'config', 'cp', 'create', 'down', 'events', 'exec', 'images', 'kill', 'logs', 'ls', 'pause', 'port', 'ps', 'pull',
  'push', 'restart', 'rm', 'run', 'start', 'stop', 'top', 'unpause', 'up', 'version', 'wait',
];

const KUBECTL = [
  'annotate', 'api-resources', 'api-versions', 'apply', 'attach', 'auth', 'autoscale', 'certificate', 'cluster-info',
  'completion', 'config', 'cordon', 'cp', 'create', 'debug', 'delete', 'describe', 'diff', 'drain', 'edit', 'events', 'exec',
  'explain', 'expose', 'get', 'kustomize', 'label', 'logs', 'patch', 'plugin', 'port-forward', 'proxy', 'replace', 'rollout',
  'run', 'scale', 'set', 'taint', 'top', 'uncordon', 'version', 'wait',
];

const HELM = [
  'completion', 'create', 'delete', 'dependency', 'env', 'get', 'history', 'install', 'lint', 'list', 'ls', 'package', 'plugin',
  'pull', 'push', 'registry', 'repo', 'rollback', 'search', 'show', 'status', 'template', 'test', 'uninstall', 'upgrade',
  'verify', 'version',
];

/** aws's first word is the service. */
const AWS = [
  'acm', 'apigateway', 'athena', 'autoscaling', 'backup', 'batch', 'ce', 'cloudformation', 'cloudfront', 'cloudtrail',
  'cloudwatch', 'codebuild', 'codepipeline', 'cognito-idp', 'configure', 'docdb', 'dynamodb', 'ec2', 'ecr', 'ecs', 'efs', 'eks',
  'elasticache', 'elb', 'elbv2', 'es', 'events', 'firehose', 'glue', 'iam', 'kinesis', 'kms', 'lambda', 'lightsail', 'logs',
  'neptune', 'opensearch', 'organizations', 'rds', 'redshift', 'route53', 's3', 's3api', 'sagemaker', 'secretsmanager', 'ses',
  'sns', 'sqs', 'ssm', 'sso', 'stepfunctions', 'sts',
];

const GCLOUD = [
  'alpha', 'app', 'artifacts', 'auth', 'beta', 'bigtable', 'billing', 'builds', 'components', 'composer', 'compute', 'config',
  'container', 'dataproc', 'deploy', 'dns', 'filestore', 'firestore', 'functions', 'iam', 'info', 'init', 'kms', 'logging',
  'monitoring', 'organizations', 'projects', 'pubsub', 'redis', 'run', 'scheduler', 'secrets', 'services', 'spanner', 'sql',
  'storage', 'tasks', 'version',
];

const GSUTIL = [
  'acl', 'cat', 'compose', 'config', 'cors', 'cp', 'defacl', 'defstorageclass', 'del', 'delete', 'du', 'hash', 'help', 'iam',
  'kms', 'label', 'lifecycle', 'logging', 'ls', 'mb', 'mv', 'notification', 'rb', 'remove', 'removebucket', 'requesterpays',
  'retention', 'rewrite', 'rm', 'rsync', 'setmeta', 'signurl', 'stat', 'update', 'version', 'versioning', 'web',
];

const BQ = ['cancel', 'cp', 'extract', 'head', 'help', 'init', 'insert', 'load', 'ls', 'mk', 'mkdef', 'partition', 'query', 'rm', 'show', 'update', 'version', 'wait'];

const AZ = [
  'account', 'acr', 'ad', 'aks', 'appservice', 'backup', 'cloud', 'config', 'cosmosdb', 'deployment', 'disk', 'extension',
  'functionapp', 'group', 'identity', 'keyvault', 'login', 'logout', 'monitor', 'network', 'policy', 'resource', 'role', 'sql',
  'storage', 'version', 'vm', 'vmss', 'webapp',
];

const PULUMI = [
  'about', 'cancel', 'config', 'console', 'convert', 'destroy', 'down', 'env', 'import', 'install', 'login', 'logout', 'new',
  'org', 'package', 'plugin', 'policy', 'preview', 'refresh', 'schema', 'stack', 'state', 'up', 'update', 'version', 'watch',
  'whoami',
];

const FLY = [
  'apps', 'auth', 'certs', 'config', 'console', 'deploy', 'destroy', 'dig', 'doctor', 'extensions', 'image', 'ips', 'launch',
  'logs', 'machine', 'machines', 'mpg', 'open', 'orgs', 'ping', 'platform', 'postgres', 'proxy', 'redis', 'regions', 'releases',
  'scale', 'secrets', 'services', 'sftp', 'ssh', 'status', 'storage', 'tokens', 'version', 'volumes', 'wireguard',
];

const HEROKU = [
  'access', 'addons', 'apps', 'apps:info', 'auth', 'buildpacks', 'certs', 'ci', 'config', 'config:get', 'container', 'domains',
  'drains', 'features', 'git', 'info', 'keys', 'labs', 'local', 'logs', 'maintenance', 'members', 'notifications', 'open',
  'pg', 'pg:info', 'pipelines', 'plugins', 'ps', 'redis', 'regions', 'releases', 'repo', 'run', 'sessions', 'spaces', 'status',
  'teams', 'update', 'version', 'webhooks', 'whoami',
];

const VERCEL = [
  'alias', 'bisect', 'build', 'certs', 'deploy', 'dev', 'dns', 'domains', 'env', 'git', 'help', 'init', 'inspect', 'link',
  'list', 'login', 'logout', 'logs', 'ls', 'project', 'projects', 'promote', 'pull', 'redeploy', 'remove', 'rm', 'rollback',
  'switch', 'teams', 'whoami',
];

const NETLIFY = ['blobs', 'build', 'deploy', 'dev', 'env', 'functions', 'init', 'link', 'login', 'logout', 'open', 'serve', 'sites', 'status', 'switch', 'unlink', 'watch'];

const SUPABASE = [
  'bootstrap', 'branches', 'completion', 'db', 'domains', 'functions', 'gen', 'init', 'inspect', 'link', 'login', 'logout',
  'migration', 'orgs', 'projects', 'secrets', 'seed', 'services', 'snippets', 'start', 'status', 'stop', 'storage', 'test',
  'unlink',
];

const RAILWAY = [
  'add', 'connect', 'delete', 'deploy', 'docs', 'domain', 'down', 'environment', 'init', 'link', 'list', 'login', 'logout', 'logs',
  'open', 'project', 'run', 'service', 'shell', 'ssh', 'status', 'unlink', 'up', 'variables', 'volume', 'whoami',
];

const RCLONE = [
  'about', 'authorize', 'backend', 'bisync', 'cat', 'check', 'checksum', 'cleanup', 'config', 'copy', 'copyto', 'copyurl',
  'cryptcheck', 'dedupe', 'delete', 'deletefile', 'hashsum', 'link', 'listremotes', 'ls', 'lsd', 'lsf', 'lsjson', 'lsl',
  'md5sum', 'mkdir', 'mount', 'move', 'moveto', 'ncdu', 'purge', 'rmdir', 'rmdirs', 'serve', 'sha1sum', 'size', 'sync', 'touch',
  'tree', 'version',
];

const RESTIC = [
  'backup', 'cache', 'cat', 'check', 'copy', 'diff', 'dump', 'find', 'forget', 'init', 'key', 'list', 'ls', 'migrate', 'mount',
  'prune', 'recover', 'repair', 'restore', 'rewrite', 'snapshots', 'stats', 'tag', 'unlock', 'version',
];

const VELERO = ['backup', 'backup-location', 'create', 'delete', 'describe', 'get', 'install', 'plugin', 'restore', 'schedule', 'snapshot-location', 'uninstall', 'version'];

const VAULT = [
  'audit', 'auth', 'delete', 'kv', 'lease', 'list', 'login', 'namespace', 'operator', 'path-help', 'plugin', 'policy', 'print',
  'read', 'secrets', 'status', 'token', 'version', 'write',
];

const NPM = [
  'access', 'audit', 'bin', 'cache', 'ci', 'config', 'dedupe', 'deprecate', 'dist-tag', 'doctor', 'exec', 'explain', 'fund',
  'help', 'init', 'install', 'link', 'ls', 'outdated', 'owner', 'pack', 'ping', 'prefix', 'prune', 'publish', 'rebuild', 'restart',
  'root', 'run', 'run-script', 'search', 'start', 'stop', 'test', 'uninstall', 'unpublish', 'update', 'version', 'view', 'whoami',
  'x',
];

const PACKAGE_MANAGER = [
  'add', 'audit', 'bin', 'cache', 'config', 'create', 'dedupe', 'dlx', 'exec', 'info', 'init', 'install', 'link', 'list', 'ls',
  'outdated', 'pack', 'publish', 'rebuild', 'remove', 'root', 'run', 'test', 'unlink', 'unpublish', 'update', 'upgrade',
  'version', 'why', 'workspace', 'workspaces',
];

const EKSCTL = ['completion', 'create', 'delete', 'drain', 'enable', 'get', 'info', 'register', 'scale', 'set', 'unset', 'upgrade', 'utils', 'version'];
const CDK = ['acknowledge', 'bootstrap', 'context', 'deploy', 'destroy', 'diff', 'docs', 'doctor', 'import', 'init', 'list', 'ls', 'metadata', 'notices', 'synth', 'watch'];
const CDKTF = ['convert', 'debug', 'deploy', 'destroy', 'diff', 'get', 'init', 'list', 'login', 'output', 'provider', 'synth', 'watch'];
const SERVERLESS = ['deploy', 'info', 'invoke', 'logs', 'metrics', 'package', 'plugin', 'print', 'remove', 'rollback'];
const SYSTEMCTL = [
  'cat', 'daemon-reload', 'disable', 'enable', 'halt', 'is-active', 'is-enabled', 'is-failed', 'isolate', 'kill',
  'list-dependencies', 'list-timers', 'list-unit-files', 'list-units', 'mask', 'poweroff', 'reboot', 'reload', 'restart', 'show',
  'start', 'status', 'stop', 'unmask',
];

export const SUBCOMMANDS: Readonly<Record<string, readonly string[]>> = {
  git: GIT,
  gh: GH,
  docker: CONTAINER_ENGINE,
  podman: CONTAINER_ENGINE,
  nerdctl: CONTAINER_ENGINE,
  'docker-compose': COMPOSE,
  'podman-compose': COMPOSE,
  kubectl: KUBECTL,
  k: KUBECTL,
  oc: [...KUBECTL, 'login', 'logout', 'new-app', 'new-project', 'project', 'projects', 'status', 'whoami'],
  helm: HELM,
  aws: AWS,
  gcloud: GCLOUD,
  gsutil: GSUTIL,
  bq: BQ,
  az: AZ,
  pulumi: PULUMI,
  fly: FLY,
  flyctl: FLY,
  heroku: HEROKU,
  vercel: VERCEL,
  vc: VERCEL,
  netlify: NETLIFY,
  ntl: NETLIFY,
  supabase: SUPABASE,
  railway: RAILWAY,
  rclone: RCLONE,
  restic: RESTIC,
  velero: VELERO,
  vault: VAULT,
  npm: NPM,
  pnpm: PACKAGE_MANAGER,
  yarn: PACKAGE_MANAGER,
  eksctl: EKSCTL,
  cdk: CDK,
  cdktf: CDKTF,
  serverless: SERVERLESS,
  sls: SERVERLESS,
  systemctl: SYSTEMCTL,
};
