import type { Word } from '../shell/words';
import { optionName } from './runners';
import type { Unwrapped, Wrapped } from './wrapped';

/**
 * Cloud control planes that run shell text on their machines: AWS Systems Manager's
 * `aws ssm send-command` (the AWS-RunShellScript document's `commands`) and Azure's
 * `az vm run-command` (`--scripts`). The text is judged as if it ran here; a script in a file
 * (`file://`, `@file`) is not read, so it pauses as opaque.
 */

/** The value of `--name VALUE` or `--name=VALUE` at `args[i]`. */
function optionValue(args: readonly Word[], i: number, name: string): Word | undefined {
  if (!args[i].value.startsWith('--')) return undefined;
  const option = optionName(args[i].value);
  if (option.name !== name) return undefined;
  return option.value !== undefined ? { ...args[i], value: option.value } : args[i + 1];
}

/** The CLIs' options that take the next word as their value (`aws --region X`, `az -g RG`): what remains are the command's words. */
const VALUE_OPTIONS = new Set(['--region', '--profile', '--output', '--endpoint-url', '--query', '--color', '--ca-bundle', '--cli-read-timeout', '--cli-connect-timeout', '--subscription', '-g', '--resource-group', '-n', '--name']);

function positionals(args: readonly Word[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i].value;
    if (VALUE_OPTIONS.has(arg)) i++;
    else if (!arg.startsWith('-')) found.push(arg);
  }
  return found;
}

/** The `commands` of SSM parameters: JSON (`{"commands":[…]}`) or the CLI's shorthand (`commands=[…]`, `commands=TEXT`). */
function ssmCommands(parameters: string): string[] | undefined {
  const text = parameters.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      const commands = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).commands : undefined;
      return Array.isArray(commands) && commands.every((c) => typeof c === 'string') ? commands : undefined;
    } catch {
      return undefined;
    }
  }
  const at = text.search(/(^|,)commands=/);
  if (at < 0) return [];
  const value = text.slice(text.indexOf('commands=', at) + 'commands='.length);
  if (!value.startsWith('[')) return [value];
  try {
    const list: unknown = JSON.parse(value.slice(0, value.lastIndexOf(']') + 1));
    return Array.isArray(list) && list.every((c) => typeof c === 'string') ? list : undefined;
  } catch {
    return [value.slice(1, value.lastIndexOf(']'))];
  }
}

function unwrapSsmSendCommand(args: readonly Word[]): Unwrapped | undefined {
  const [service, operation] = positionals(args);
  if (service !== 'ssm' || operation !== 'send-command') return undefined;
  for (let i = 0; i < args.length; i++) {
    const given = optionValue(args, i, 'parameters');
    if (!given) continue;
    if (!given.static) return { kind: 'opaque', reason: 'sends commands to the instances that are only known at run time' };
    if (/^fileb?:\/\//.test(given.value)) return { kind: 'opaque', reason: `sends the commands in ${given.value} to the instances, not read here` };
    const commands = ssmCommands(given.value);
    if (commands === undefined) return { kind: 'opaque', reason: 'sends commands to the instances in parameters that cannot be read' };
    return commands.length > 0 ? { kind: 'script', text: commands.join('\n') } : { kind: 'none' };
  }
  if (args.some((a) => a.value.startsWith('--cli-input'))) return { kind: 'opaque', reason: 'sends commands to the instances from a request given whole, not read here' };
  return { kind: 'none' };
}

/** `az vm|vmss run-command invoke|create … --scripts TEXT…` (each word a line of the script) or `--script TEXT`. */
function unwrapAzRunCommand(args: readonly Word[]): Unwrapped | undefined {
  const [group, sub] = positionals(args);
  if ((group !== 'vm' && group !== 'vmss') || sub !== 'run-command') return undefined;
  const at = args.findIndex((a) => a.value === '--scripts' || a.value === '--script');
  if (at < 0) return { kind: 'none' };
  const end = args.findIndex((a, i) => i > at && a.value.startsWith('-'));
  const scripts = args.slice(at + 1, end < 0 ? undefined : end);
  if (scripts.some((s) => !s.static)) return { kind: 'opaque', reason: 'runs a script on the machines that is only known at run time' };
  const file = scripts.find((s) => s.value.startsWith('@'));
  if (file) return { kind: 'opaque', reason: `runs the script in ${file.value.slice(1)} on the machines, not read here` };
  return scripts.length > 0 ? { kind: 'script', text: scripts.map((s) => s.value).join('\n') } : { kind: 'none' };
}

/** What a cloud run-command sends to its machines; undefined when `w` is no such call. */
export function unwrapCloudRunCommand(w: Wrapped, tool: string): Unwrapped | undefined {
  const args = w.words.slice(1);
  if (tool === 'aws') return unwrapSsmSendCommand(args);
  if (tool === 'az') return unwrapAzRunCommand(args);
  return undefined;
}

export const CLOUD_RUN_TOOLS: ReadonlySet<string> = new Set(['aws', 'az']);
