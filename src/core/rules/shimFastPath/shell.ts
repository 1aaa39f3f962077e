import { exactPattern } from './patterns';
import type { FastPath } from './table';

/**
 * A tool's fast path as POSIX sh for its launcher: leaves `fast=1` when the call (the launcher's
 * "$@") may run without asking the gate, and `fast=` otherwise. Each `asks_N` function returns 0
 * when an argument matches a pattern some rule, or the engine's own reading, turns on. Only `case`,
 * `for`, `shift` and `return` decide: keywords and special builtins, which no function a bash
 * imports from the environment can stand in for.
 */
export function fastPathScript(fast: FastPath): string {
  if (fast.kind === 'arguments') {
    const check = fast.asks.length === 0 ? 'fast=1' : 'asks_1 "$@" || fast=1';
    return `${fast.asks.length === 0 ? '' : asksFunction('asks_1', fast.asks, false)}fast=\ncase $# in 0) ;; *) ${check} ;; esac\n`;
  }
  const functions: string[] = [];
  const branches: string[] = [];
  for (const group of fast.groups) {
    const words = group.words.map(exactPattern).join(' | ');
    if (group.asks.length === 0) {
      branches.push(`  ${words}) fast=1 ;;`);
      continue;
    }
    const name = `asks_${functions.length + 1}`;
    functions.push(asksFunction(name, group.asks, true));
    branches.push(`  ${words}) ${name} "$@" || fast=1 ;;`);
  }
  return `${functions.join('')}fast=\ncase $1 in\n${branches.join('\n')}\nesac\n`;
}

/** `name "$@"`: whether an argument (after the first, when `afterFirst`) matches one of `patterns`. */
function asksFunction(name: string, patterns: readonly string[], afterFirst: boolean): string {
  return `${name}() {
${afterFirst ? '  shift\n' : ''}  for arg do
    case $arg in
      ${patterns.join(' | ')}) return 0 ;;
    esac
  done
  return 1
}
`;
}
