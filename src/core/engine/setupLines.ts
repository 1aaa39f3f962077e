import type { Word } from '../shell/words';
import { toolName } from './invocation';

/**
 * Setup lines that are opaque only in form: `eval "$(direnv hook bash)"`, `source <(kubectl
 * completion bash)`, `$(go env GOPATH)/bin/golangci-lint run`, `source "$VIRTUAL_ENV/bin/activate"`.
 * What they run is a tool's own shell setup, or a program known by name in a folder known at run time.
 */

/** Arguments that ask a tool for the shell code that sets it up: hooks, completions, environments. */
const SETUP_WORDS = new Set(['completion', 'completions', 'init', 'hook', 'activate', 'shellenv', 'env', 'docker-env', 'podman-env', 'shell-init', 'export-credentials', 'signin', '--eval', '--alias']);
/** Tools whose output is shell setup whatever their arguments. */
const SETUP_TOOLS = new Set(['ssh-agent', 'gpg-agent']);
/** Tools that print whatever they are given or fetch: their output is not a tool's own setup. */
const EMITTERS = new Set(['echo', 'printf', 'cat', 'curl', 'wget', 'base64', 'xxd', 'nc', 'head', 'tail', 'sed', 'awk', 'tr', 'rev', 'jq', 'eval', 'source']);

/**
 * `$(TOOL ... init ...)`, `` `TOOL ...` ``, `<(TOOL completion bash)`: one plain command (no quotes,
 * expansions, pipes or lists inside) asking a tool that is not a text emitter or a shell for its setup.
 */
export function printsShellSetup(word: Word, isShellOrInterpreter: (tool: string) => boolean): boolean {
  const inner = /^"?(?:\$\(|<\(|`)([^()`$;&|<>'"\\]*)(?:\)|`)"?$/.exec(word.raw)?.[1].trim();
  if (!inner) return false;
  const [first, ...args] = inner.split(/\s+/);
  const tool = toolName(first);
  if (EMITTERS.has(tool) || isShellOrInterpreter(tool)) return false;
  return SETUP_TOOLS.has(tool) || args.some((a) => SETUP_WORDS.has(a));
}

/**
 * The program a word names when only its folder is computed (`$(go env GOPATH)/bin/golangci-lint`):
 * its static base name, as the engine reads any path by its base name. Undefined when the name itself
 * is computed.
 */
export function knownBaseName(word: Word): string | undefined {
  return /\/([A-Za-z0-9_.+-]+)"?$/.exec(word.raw)?.[1];
}
