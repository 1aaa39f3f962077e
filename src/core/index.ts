import { Engine } from './engine/analyze';
import { BUILT_IN_PACKS, configFromPacks, DEFAULT_PRODUCTION_MARKERS } from './rules/catalog';
import type { BashParser } from './shell/syntax';

export { Engine } from './engine/analyze';
export type { CheckContext } from './engine/context';
export type { FileReader } from './engine/recipes';
export type { Finding, Severity, Verdict } from './verdict';

/** The engine with the built-in rule packs. */
export function createEngine(parser: BashParser): Engine {
  return new Engine(parser, configFromPacks(BUILT_IN_PACKS, DEFAULT_PRODUCTION_MARKERS));
}
