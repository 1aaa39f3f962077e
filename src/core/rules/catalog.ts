import type { EngineConfig } from '../engine/analyze';
import type { Detector, RulePack } from './types';
import { backupsPack } from './packs/backups';
import { cloudPack } from './packs/cloud';
import { containersPack } from './packs/containers';
import { databasesPack } from './packs/databases';
import { dbaasPack } from './packs/dbaas';
import { filesystemPack } from './packs/filesystem';
import { genericPack } from './packs/generic';
import { gitPack } from './packs/git';
import { httpPack } from './packs/http';
import { iacPack } from './packs/iac';
import { kubernetesPack } from './packs/kubernetes';
import { paasPack } from './packs/paas';
import { servicesPack } from './packs/services';
import { statePack } from './packs/state';
import { systemPack } from './packs/system';
import { terraformPack } from './packs/terraform';

/** Every built-in pack, in the order their findings are listed. */
export const BUILT_IN_PACKS: readonly RulePack[] = [
  terraformPack,
  statePack,
  filesystemPack,
  systemPack,
  gitPack,
  cloudPack,
  backupsPack,
  kubernetesPack,
  containersPack,
  databasesPack,
  dbaasPack,
  httpPack,
  paasPack,
  iacPack,
  servicesPack,
  genericPack,
];

/** Names that mark a production target in a path, workspace, profile, context or host. */
export const DEFAULT_PRODUCTION_MARKERS: readonly string[] = ['(^|[^a-z0-9])(prod|production|prd|live)([^a-z0-9]|$)'];

/** Flattens packs into the engine's tables; a detector name used twice is a programming error. */
export function configFromPacks(packs: readonly RulePack[], productionMarkers: readonly string[]): EngineConfig {
  const detectors = new Map<string, Detector>();
  for (const pack of packs) {
    for (const [name, detector] of Object.entries(pack.detectors ?? {})) {
      if (detectors.has(name)) throw new Error(`detector ${name} is defined twice`);
      detectors.set(name, detector);
    }
  }
  return {
    rules: packs.flatMap((p) => p.rules),
    grammars: packs.flatMap((p) => p.grammars ?? []),
    productionMarkers,
    detectors,
  };
}
