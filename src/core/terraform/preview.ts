/**
 * The read-only preview of a paused terraform/tofu command: which `plan` (or `show -json` of a saved
 * plan) shows what the command would do, and how a failed preview is explained. Pure: the runner in
 * src/node/terraform/preview.ts starts the processes.
 *
 * Terragrunt is left out: its `run-all`/`--all` forms plan many modules, it takes its own global
 * options, and its logger may wrap terraform's stdout, so a faithful single plan cannot be promised.
 */
import { toolName } from '../engine/invocation';
import { stripAnsi } from '../terminal/plainText';
import type { PreviewErrorCode } from '../review/protocol';
import type { FindingInvocation, Verdict } from '../verdict';

export type PreviewTool = 'terraform' | 'tofu';

interface RecipeCommon {
  /** The command the card shows while it runs: `terraform -chdir=envs/prod plan -destroy`. */
  readonly label: string;
  /** The workspace the line selects through TF_WORKSPACE, when it does (for the blast radius). */
  readonly workspace?: string;
}

interface RecipeBase extends RecipeCommon {
  readonly tool: PreviewTool;
  /** argv[0] as written on the line (`terraform`, `/usr/local/bin/tofu`, `./bin/terraform`). */
  readonly binary: string;
  /** The exec as the finding read it: what an approval's saved plan stands in for. */
  readonly argv: readonly string[];
  /** Why the exec may not reach the PATH shims although it names the tool (a wrapper or a PATH the line sets). */
  readonly bypassesPath?: string;
  /** Where the command runs; a relative path resolves against the request's directory. */
  readonly cwd: string;
  /** Static variables the line sets for it (TF_WORKSPACE, TF_VAR_*, AWS_PROFILE...), without TF_CLI_ARGS*. */
  readonly env: Readonly<Record<string, string>>;
  /** Options before the subcommand (`-chdir=envs/prod`), given to every step. */
  readonly globalArgs: readonly string[];
  /** The line's options on how to apply (`-parallelism=2`, `-lock-timeout=5m`), carried over to applying the saved plan. */
  readonly applyArgs: readonly string[];
}

/** Make a plan to a temporary file, then `show -json` it. */
export interface PlanRecipe extends RecipeBase {
  readonly kind: 'plan';
  /** The command's planning options, carried over; the runner adds -out, -input=false, -no-color, -lock=false. */
  readonly planArgs: readonly string[];
}

/** `apply PLANFILE`: the plan already exists; only `show -json` it. */
export interface ShowRecipe extends RecipeBase {
  readonly kind: 'show';
  /** As written: relative to the directory the command runs in (after -chdir). */
  readonly planFile: string;
}

/** A command that is previewed but cannot be here, with the reason for the card. */
export interface UnavailableRecipe extends RecipeCommon {
  readonly kind: 'unavailable';
  readonly code: PreviewErrorCode;
  readonly message: string;
}

export type PreviewRecipe = PlanRecipe | ShowRecipe | UnavailableRecipe;

/** A preview that did not produce a plan. The command stays paused; the card shows `message` and `detail`. */
export class PreviewError extends Error {
  override readonly name = 'PreviewError';
  constructor(
    readonly code: PreviewErrorCode,
    message: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}

const TOOLS: ReadonlySet<string> = new Set<PreviewTool>(['terraform', 'tofu']);

/** Terragrunt subcommands that apply or destroy (alone, or under `run-all` / `run --all`): their card says why no plan is shown. */
const TERRAGRUNT_APPLYING: ReadonlySet<string> = new Set(['apply', 'destroy', 'apply-all', 'destroy-all']);

/** Subcommands whose effect a plan shows, and the planning mode each implies. */
const PLANNED_SUBCOMMANDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['apply', []],
  ['destroy', ['-destroy']],
  ['refresh', ['-refresh-only']],
]);

/**
 * The apply/destroy/refresh options that change what is planned are kept; those that only concern
 * applying, prompting, output or the state lock are dropped (the runner sets its own); those marked
 * `apply` go with the saved plan when it is applied (planning options are in the plan). An option not
 * listed here is passed on: if plan refuses it the preview fails visibly, rather than silently
 * planning something other than what the command would do.
 */
const OPTIONS: ReadonlyMap<string, { readonly value: boolean; readonly keep: boolean; readonly apply?: true }> = new Map(
  Object.entries({
    destroy: { value: false, keep: true },
    'refresh-only': { value: false, keep: true },
    refresh: { value: false, keep: true },
    replace: { value: true, keep: true },
    target: { value: true, keep: true },
    exclude: { value: true, keep: true },
    var: { value: true, keep: true },
    'var-file': { value: true, keep: true },
    parallelism: { value: true, keep: true, apply: true },
    // The legacy local backend plans against -state too, so the preview must read the same file.
    state: { value: true, keep: true, apply: true },
    'state-out': { value: true, keep: false, apply: true },
    backup: { value: true, keep: false, apply: true },
    'auto-approve': { value: false, keep: false },
    input: { value: false, keep: false },
    lock: { value: false, keep: false, apply: true },
    'lock-timeout': { value: true, keep: false, apply: true },
    'no-color': { value: false, keep: false, apply: true },
    'compact-warnings': { value: false, keep: false, apply: true },
    json: { value: false, keep: false, apply: true },
  }),
);

const CLI_ARGS_VARIABLE = /^TF_CLI_ARGS(_\w+)?$/;

/** TF_CLI_ARGS and TF_CLI_ARGS_<subcommand> add arguments to every (or one) terraform command. */
export function isCliArgsVariable(name: string): boolean {
  return CLI_ARGS_VARIABLE.test(name);
}

/**
 * The preview for the first terraform/tofu finding that applies, destroys or refreshes; undefined
 * when none does. `inherited` is the environment the command starts from (its terminal's): the
 * TF_CLI_ARGS* there change what it does as much as those on the line.
 */
export function previewFor(verdict: Verdict, inherited: Readonly<Record<string, string | undefined>> = {}): PreviewRecipe | undefined {
  for (const finding of verdict.findings) {
    const recipe = finding.invocation && recipeFor(finding.invocation, inherited);
    if (recipe) return recipe;
  }
  return undefined;
}

function recipeFor(invocation: FindingInvocation, inherited: Readonly<Record<string, string | undefined>>): PreviewRecipe | undefined {
  const [binary, ...args] = invocation.argv;
  const tool = toolName(binary ?? '');
  if (tool === 'terragrunt' && args.some((a) => TERRAGRUNT_APPLYING.has(a))) {
    return { kind: 'unavailable', code: 'not-previewable', message: previewMessage('not-previewable', { tool }), label: display(invocation.argv) };
  }
  if (!TOOLS.has(tool)) return undefined;
  // Global options come before the subcommand (terraform reads -chdir only there).
  const at = args.findIndex((a) => !a.startsWith('-'));
  if (at < 0) return undefined;
  const subcommand = args[at];
  const mode = PLANNED_SUBCOMMANDS.get(subcommand);
  if (!mode) return undefined;
  const globalArgs = args.slice(0, at);
  const { positionals, kept, applying } = readOptions([...cliArgsFromEnv({ ...inherited, ...invocation.env }, subcommand), ...args.slice(at + 1)]);
  const env = Object.fromEntries(Object.entries(invocation.env).filter(([name]) => !isCliArgsVariable(name)));
  const label = (step: readonly string[]): string => display([binary, ...globalArgs, ...step]);
  // From Terraform 0.15 on, apply's only positional is a saved plan; plan, destroy and refresh take none.
  const planFile = subcommand === 'apply' ? positionals[0] : undefined;
  const planArgs = [...mode.filter((m) => !kept.includes(m)), ...kept, ...positionals];
  const step = planFile !== undefined ? { kind: 'show' as const, planFile, label: label(['show', '-json', planFile]) } : { kind: 'plan' as const, planArgs, label: label(['plan', ...planArgs]) };
  const workspace = env.TF_WORKSPACE ? { workspace: env.TF_WORKSPACE } : {};
  if (invocation.cwd === undefined) {
    return { kind: 'unavailable', code: 'unknown-directory', message: previewMessage('unknown-directory', { tool }), label: step.label, ...workspace };
  }
  const bypassesPath = pathBypass(invocation);
  return { tool: tool as PreviewTool, binary, argv: invocation.argv, cwd: invocation.cwd, env, globalArgs, applyArgs: applying, ...workspace, ...step, ...(bypassesPath ? { bypassesPath } : {}) };
}

/** Wrappers that may run the tool with another PATH than the line's: sudo's secure_path, `env -i`, another user's login. */
const PATH_RESETTING_WRAPPERS: ReadonlySet<string> = new Set(['sudo', 'doas', 'su', 'runuser', 'pkexec', 'env', 'setpriv', 'chroot', 'systemd-run', 'flatpak-spawn']);

/** Why the exec may find the tool elsewhere than through the PATH shims; undefined when nothing on the line says so. */
function pathBypass(invocation: FindingInvocation): string | undefined {
  const wrapper = invocation.via?.find((w) => PATH_RESETTING_WRAPPERS.has(toolName(w)));
  if (wrapper !== undefined) return `The line runs it through ${toolName(wrapper)}, which may look it up on another PATH than Countersign's launchers`;
  if (invocation.env.PATH !== undefined) return 'The line sets PATH for it, so it may not reach Countersign\'s launcher';
  return undefined;
}

/**
 * Terraform reads TF_CLI_ARGS_<subcommand> and TF_CLI_ARGS as if typed right after the subcommand,
 * before the line's own arguments. Read here as part of the command, they are planned; left in the
 * environment they would also reach `plan` and `show`, which refuse options such as -auto-approve.
 */
function cliArgsFromEnv(env: Readonly<Record<string, string | undefined>>, subcommand: string): string[] {
  return [env[`TF_CLI_ARGS_${subcommand}`], env.TF_CLI_ARGS].flatMap((value) => (value ? splitArguments(value) : []));
}

/** Splits a TF_CLI_ARGS value into words as a shell would: whitespace, quotes, backslashes. */
export function splitArguments(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** Sorts the arguments after the subcommand the way Go's flag package does, keeping each token as written. */
function readOptions(args: readonly string[]): { positionals: string[]; kept: string[]; applying: string[] } {
  const positionals: string[] = [];
  const kept: string[] = [];
  const applying: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const option = OPTIONS.get(eq < 0 ? body : body.slice(0, eq));
    const tokens = option?.value && eq < 0 && i + 1 < args.length ? [arg, args[++i]] : [arg];
    if (option?.keep !== false) kept.push(...tokens);
    if (option?.apply) applying.push(...tokens);
  }
  return { positionals, kept, applying };
}

/** The plan step's arguments (after the binary): the runner's fixed options first, then the command's. */
export function planArguments(recipe: PlanRecipe, planFile: string): string[] {
  // -lock=false: a plan writes no state, and holding the lock would block the very command under
  // review (or anyone else) while it runs; a preview killed on timeout could even leave a remote lock
  // behind that only `force-unlock` clears. The real command takes the lock itself when it runs.
  return [...recipe.globalArgs, 'plan', `-out=${planFile}`, '-input=false', '-no-color', '-lock=false', ...recipe.planArgs];
}

/**
 * The arguments (after the binary) that apply a saved plan: what runs in place of the approved
 * command, so that it does exactly what its card showed. Terraform refuses a saved plan whose state
 * has moved on since it was made ("Saved plan is stale") and applies it without asking.
 */
export function savedPlanArguments(recipe: PlanRecipe | ShowRecipe, planFile: string): string[] {
  return [...recipe.globalArgs, 'apply', '-input=false', ...recipe.applyArgs, planFile];
}

/**
 * Why an approval of this command cannot run its saved plan, which the exec-time door (a PATH shim)
 * puts in place of the command; undefined when it can. `reachesShims`: whether the tool's name on the
 * command's PATH finds a shim first (a shim's own request always does).
 */
export function whyItPlansAgain(recipe: PlanRecipe | ShowRecipe, reachesShims: boolean): string | undefined {
  if (recipe.bypassesPath !== undefined) return `${recipe.bypassesPath}, so ${recipe.tool} plans again when it runs: what it does may differ from this preview.`;
  if (recipe.binary.includes('/')) {
    return `The line runs ${recipe.binary} by its path, not through Countersign's launcher on PATH, so ${recipe.tool} plans again when it runs: what it does may differ from this preview.`;
  }
  if (!reachesShims) {
    return `${recipe.tool} is not reached through Countersign's launcher where this command runs (another ${recipe.tool} comes first on its PATH, or no shim folder is there), so it plans again when it runs: what it does may differ from this preview.`;
  }
  return undefined;
}

/** How the card names the command that applies the saved plan. */
export function savedPlanLabel(recipe: PlanRecipe | ShowRecipe, planFile: string): string {
  return display([recipe.binary, ...savedPlanArguments(recipe, planFile)]);
}

/** The show step's arguments (after the binary). */
export function showArguments(globalArgs: readonly string[], planFile: string): string[] {
  return [...globalArgs, 'show', '-json', '-no-color', planFile];
}

/** The words joined for display; only words a reader could misread are quoted. */
function display(words: readonly string[]): string {
  return words.map((w) => (w === '' || /[\s'"\\$`;&|<>(){}*?!#~]/.test(w) ? JSON.stringify(w) : w)).join(' ');
}

// ── failures ────────────────────────────────────────────────────────────────────────────────────

export interface FailureFacts {
  readonly tool: string;
  /** The step that failed, as labelled on the card. */
  readonly step?: string;
  readonly exitCode?: number | null;
  readonly timeoutMs?: number;
}

const MESSAGES: Readonly<Record<PreviewErrorCode, (f: FailureFacts) => string>> = {
  'no-binary': (f) => `${f.tool} was not found on PATH, so no plan could be made.`,
  'init-needed': (f) => `This directory is not initialised for ${f.tool}: run \`${f.tool} init\` there, then retry the preview.`,
  'no-credentials': (f) => `${f.tool} found no valid cloud credentials for the plan: log in (or select the profile) where VS Code runs, then retry the preview.`,
  timeout: (f) => `The preview did not finish within ${Math.round((f.timeoutMs ?? 0) / 1000)} s and was stopped.`,
  cancelled: () => 'The preview was cancelled.',
  'invalid-plan': (f) => `\`${f.tool} show -json\` did not print a plan.`,
  'unknown-directory': () => 'The directory the command runs in is only known when it runs (a cd to a computed path), so no plan could be made.',
  'not-previewable': (f) =>
    `${f.tool} is not previewed: its run-all/--all forms plan many modules and its logger may wrap terraform's output, so no single saved plan can be shown or run. The command plans again when it runs: read what it targets yourself.`,
  failed: (f) => `${f.step ?? f.tool} failed${f.exitCode !== undefined && f.exitCode !== null ? ` (exit ${f.exitCode})` : ''}.`,
};

export function previewMessage(code: PreviewErrorCode, facts: FailureFacts): string {
  return MESSAGES[code](facts);
}

/**
 * Terraform's, OpenTofu's and the cloud providers' own wording for the failures a person can fix
 * before retrying; the first match wins. Each is quoted from real output in the tests' fixtures
 * (test/fixtures/terraform/preview/PROVENANCE.md says where each was seen).
 */
export const FAILURE_WORDING: readonly { readonly code: PreviewErrorCode; readonly pattern: RegExp }[] = [
  // "Backend initialization required, please run "terraform init"", "Backend reinitialization required".
  { code: 'init-needed', pattern: /initialization required/i },
  { code: 'init-needed', pattern: /Inconsistent dependency lock file/ },
  { code: 'init-needed', pattern: /Module not installed/ },
  // Some versions say only "You must install the required plugins before running Terraform operations".
  { code: 'init-needed', pattern: /Required plugins are not installed/ },
  // Every other "run terraform init" advice (new providers, changed backend configuration...).
  { code: 'init-needed', pattern: /\b(?:terraform|tofu) init\b/ },
  // AWS: "no valid credential sources for Terraform AWS Provider found", the older "No valid credential sources
  // found", and for the S3 backend; expired SSO sessions and NoCredentialProviders come with it.
  { code: 'no-credentials', pattern: /no valid credential sources/i },
  // AWS: "api error ExpiredToken: The security token included in the request is expired".
  { code: 'no-credentials', pattern: /ExpiredToken/ },
  // Google: "google: could not find default credentials".
  { code: 'no-credentials', pattern: /could not find default credentials/ },
  // Azure: "Please run 'az login' to setup account", "log-in with `az login`".
  { code: 'no-credentials', pattern: /\baz login\b/ },
];

/** What a failed plan or show step said, read into a code, a message and the lines worth showing. */
export function classifyFailure(stderr: string, stdout: string, facts: FailureFacts): PreviewError {
  const text = cleanOutput(`${stderr}\n${stdout}`);
  const code = FAILURE_WORDING.find((w) => w.pattern.test(text))?.code ?? 'failed';
  const detail = lastLines(cleanOutput(stderr).trim() !== '' ? stderr : stdout);
  return new PreviewError(code, previewMessage(code, facts), detail || undefined);
}

/** Output as a person reads it: no colour codes, no diagnostic frame (`╷`, `│ `, `╵`). */
export function cleanOutput(text: string): string {
  return stripAnsi(text)
    .split(/\r?\n/)
    .filter((line) => !/^\s*[╷╵]\s*$/.test(line))
    .map((line) => line.replace(/^│ ?/, '').trimEnd())
    .join('\n');
}

const DETAIL_LINES = 20;
const DETAIL_CHARS = 4000;

/** The end of the output, cleaned, where terraform puts its errors; runs of blank lines squeezed to one. */
export function lastLines(text: string, count = DETAIL_LINES): string {
  const lines = cleanOutput(text)
    .trim()
    .split('\n')
    .filter((line, i, all) => line.trim() !== '' || (i > 0 && all[i - 1].trim() !== ''));
  const tail = lines.slice(-count).join('\n').trim();
  return tail.length > DETAIL_CHARS ? `…${tail.slice(-DETAIL_CHARS)}` : tail;
}

/**
 * Whether `show -json` printed a plan: a JSON object with a format version and planned values or
 * resource changes. A state file shown with `show -json` has neither, and would read as "no changes".
 */
export function isPlanJson(text: string): boolean {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const plan = value as Record<string, unknown>;
  return typeof plan.format_version === 'string' && ('planned_values' in plan || 'resource_changes' in plan);
}
