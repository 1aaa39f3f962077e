import type { Word } from '../shell/words';
import type { Unwrapped, Wrapped } from './wrapped';

/**
 * Tools that run another command for you: package runners (`npx cdk destroy`), secret injectors
 * (`doppler run -- terraform destroy`), environment runners (`poetry run`, `bundle exec`) and remote
 * shells of PaaS CLIs (`heroku run`, `fly ssh console -C`). Described as data: the subcommand words
 * that start the run, the options that take a value, and how the command is given.
 */
interface Runner {
  readonly tools: readonly string[];
  /** Words after the tool that select the run (`exec`, `run`, `ssh console`); empty: the tool itself. */
  readonly sub: readonly string[];
  readonly valueOptions?: readonly string[];
  /** Options whose value is shell text (`npx -c`, `doppler run --command`, `fly ssh console -C`). */
  readonly textOptions?: readonly string[];
  /** Positionals before the command (`aws-vault exec PROFILE`, `direnv exec DIR`). */
  readonly leadingPositionals?: number;
  /**
   * `text`: the rest is one line of shell text run remotely (`heroku run`); `argv`: run as words;
   * `afterDashes`: only what follows `--` is the command (`mise exec node@20 -- node x.js`).
   */
  readonly rest: 'argv' | 'text' | 'none' | 'afterDashes';
  /** Environment the run sets from its first positional (aws-vault's profile). */
  readonly profileEnv?: string;
  /** The command is a package to fetch and run (`npx supabase@latest`, `pnpm dlx @railway/cli`). */
  readonly runsPackage?: boolean;
}

/** Packages whose binary has another name; any other package runs the binary of its own name. */
const PACKAGE_BINARIES: ReadonlyMap<string, string> = new Map([
  ['firebase-tools', 'firebase'],
  ['netlify-cli', 'netlify'],
  ['aws-cdk', 'cdk'],
  ['cdktf-cli', 'cdktf'],
  ['@railway/cli', 'railway'],
  ['@prisma/cli', 'prisma'],
  ['sequelize-cli', 'sequelize'],
  ['dotenv-cli', 'dotenv'],
  ['@dotenvx/dotenvx', 'dotenvx'],
  ['@planetscale/cli', 'pscale'],
  ['@mongodb-js/atlas-cli', 'atlas'],
]);

/** `supabase@1.2`, `@railway/cli@latest` → the binary the package runs: `supabase`, `railway`. */
function packageBinary(spec: string): string {
  const name = spec.replace(/(?<=.)@[^/]*$/, '');
  return PACKAGE_BINARIES.get(name) ?? name.replace(/^@[^/]+\//, '');
}

const RUNNERS: readonly Runner[] = [
  { tools: ['npx', 'bunx', 'pnpx'], sub: [], valueOptions: ['p', 'package', 'node-options', 'registry', 'cache', 'userconfig'], textOptions: ['c', 'call'], rest: 'argv', runsPackage: true },
  { tools: ['npm'], sub: ['exec|x'], valueOptions: ['p', 'package', 'w', 'workspace'], textOptions: ['c', 'call'], rest: 'argv', runsPackage: true },
  { tools: ['pnpm'], sub: ['exec|dlx'], valueOptions: ['filter', 'F', 'C', 'dir', 'package'], textOptions: ['c', 'shell-mode'], rest: 'argv', runsPackage: true },
  { tools: ['yarn'], sub: ['exec|dlx'], valueOptions: ['p', 'package'], rest: 'argv', runsPackage: true },
  { tools: ['bun'], sub: ['x'], rest: 'argv', runsPackage: true },
  { tools: ['doppler'], sub: ['run'], valueOptions: ['p', 'project', 'c', 'config', 'token', 'mount', 'fallback', 'name-transformer'], textOptions: ['command'], rest: 'argv' },
  { tools: ['op'], sub: ['run'], valueOptions: ['env-file', 'account'], rest: 'argv' },
  { tools: ['infisical'], sub: ['run'], valueOptions: ['env', 'path', 'projectId', 'token', 'tags', 'domain'], textOptions: ['command'], rest: 'argv' },
  { tools: ['dotenv', 'dotenvx'], sub: [], valueOptions: ['e', 'f', 'env-file', 'v', 'c'], rest: 'argv' },
  { tools: ['dotenvx'], sub: ['run'], valueOptions: ['f', 'env-file', 'env'], rest: 'argv' },
  { tools: ['aws-vault'], sub: ['exec'], valueOptions: ['d', 'duration', 'region', 'mfa-token', 't', 'prompt', 'backend'], leadingPositionals: 1, rest: 'argv', profileEnv: 'AWS_PROFILE' },
  { tools: ['direnv'], sub: ['exec'], leadingPositionals: 1, rest: 'argv' },
  { tools: ['poetry', 'pipenv', 'uv', 'pdm', 'hatch'], sub: ['run'], valueOptions: ['with', 'python', 'p', 'env', 'directory', 'project'], rest: 'argv' },
  { tools: ['bundle'], sub: ['exec'], rest: 'argv' },
  { tools: ['railway'], sub: ['run'], valueOptions: ['s', 'service', 'e', 'environment'], rest: 'argv' },
  { tools: ['heroku'], sub: ['run|run:detached'], valueOptions: ['a', 'app', 'r', 'remote', 's', 'size', 'e', 'env', 'type'], rest: 'text' },
  { tools: ['fly', 'flyctl'], sub: ['ssh', 'console'], valueOptions: ['a', 'app', 's', 'select', 'r', 'region', 'u', 'user', 'machine'], textOptions: ['C', 'command'], rest: 'none' },
  { tools: ['fly', 'flyctl'], sub: ['machine|machines', 'exec'], valueOptions: ['a', 'app'], leadingPositionals: 1, rest: 'text' },
  // gcloud's ssh runs `--command` on the instance (what follows `--` goes to ssh as its own arguments).
  ...[['compute', 'ssh'], ['alpha|beta', 'compute', 'ssh'], ['compute', 'tpus', 'tpu-vm', 'ssh'], ['cloud-shell', 'ssh']].map(
    (sub): Runner => ({ tools: ['gcloud'], sub, valueOptions: ['zone', 'project', 'ssh-key-file', 'ssh-flag', 'container', 'worker', 'account', 'configuration'], textOptions: ['command'], rest: 'none' }),
  ),
  // Version and environment managers that run a command with their tools on PATH.
  { tools: ['asdf', 'rbenv', 'pyenv', 'nodenv', 'goenv', 'jenv'], sub: ['exec'], rest: 'argv' },
  { tools: ['mise', 'rtx'], sub: ['exec|x'], valueOptions: ['C', 'cd', 'E', 'env', 'j', 'jobs'], textOptions: ['c', 'command'], rest: 'afterDashes' },
  { tools: ['conda', 'mamba', 'micromamba'], sub: ['run'], valueOptions: ['n', 'name', 'p', 'prefix', 'cwd'], rest: 'argv' },
  { tools: ['pixi', 'devbox'], sub: ['run'], valueOptions: ['e', 'environment', 'manifest-path', 'c', 'config'], rest: 'argv' },
  { tools: ['nix-shell'], sub: [], valueOptions: ['p', 'packages', 'I', 'A', 'attr', 'arg', 'argstr'], textOptions: ['run', 'command'], rest: 'none' },
  { tools: ['uvx'], sub: [], valueOptions: ['from', 'with', 'python', 'p', 'index-url'], rest: 'argv', runsPackage: true },
  { tools: ['pipx'], sub: ['run'], valueOptions: ['spec', 'python', 'index-url'], rest: 'argv', runsPackage: true },
];

/** `--name=value` → name and value; `-n`, `--name` → the name alone. */
export function optionName(arg: string): { name: string; value: string | undefined } {
  const body = arg.replace(/^--?/, '');
  const eq = body.indexOf('=');
  return eq > 0 ? { name: body.slice(0, eq), value: body.slice(eq + 1) } : { name: body, value: undefined };
}

function runWith(runner: Runner, w: Wrapped): Unwrapped | undefined {
  const args = w.words.slice(1);
  let i = 0;
  for (const word of runner.sub) {
    if (!args[i] || !word.split('|').includes(args[i].value)) return undefined;
    i++;
  }
  const valueOptions = new Set(runner.valueOptions ?? []);
  const textOptions = new Set(runner.textOptions ?? []);
  const env = new Map<string, Word>();
  let leading = runner.leadingPositionals ?? 0;
  for (; i < args.length; i++) {
    const arg = args[i].value;
    if (arg === '--') {
      i++;
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      const { name, value } = optionName(arg);
      const optionValue = value ?? (valueOptions.has(name) || textOptions.has(name) ? args[++i]?.value : undefined);
      if (textOptions.has(name) && optionValue !== undefined) return { kind: 'script', text: optionValue };
      continue;
    }
    // With no command in the rest, its positionals (an instance name) may come before the text option.
    if (leading === 0) {
      if (runner.rest === 'none') continue;
      break;
    }
    if (runner.profileEnv) env.set(runner.profileEnv, args[i]);
    leading--;
  }
  const dashes = args.findIndex((a) => a.value === '--');
  const command = runner.rest === 'afterDashes' ? (dashes < 0 ? [] : args.slice(dashes + 1)) : args.slice(i);
  if (command.length === 0 || runner.rest === 'none') return { kind: 'none' };
  if (runner.rest === 'text') {
    if (command.some((c) => !c.static)) return { kind: 'opaque', reason: 'runs a remote command only known at run time' };
    return { kind: 'script', text: command.map((c) => c.value).join(' ') };
  }
  const [spec, ...operands] = command;
  const run = runner.runsPackage && spec.static ? [{ ...spec, value: packageBinary(spec.value) }, ...operands] : command;
  return { kind: 'argv', words: run, env };
}

/** What a runner runs; undefined when `w` is not a runner invocation (`npm install`, `fly deploy`). */
export function unwrapRunner(w: Wrapped, tool: string): Unwrapped | undefined {
  for (const runner of RUNNERS) {
    if (!runner.tools.includes(tool)) continue;
    const result = runWith(runner, w);
    if (result) return result;
  }
  return undefined;
}

export const RUNNER_TOOLS: ReadonlySet<string> = new Set(RUNNERS.flatMap((r) => r.tools));
