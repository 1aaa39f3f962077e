import type { StateComparison, StateSummary } from '../terraform/types';
import type { StateEntry, StateSide } from './record';

/** Both sides of a state comparison and its reasons, as an audit record keeps them (no addresses, no values). */
export function comparedSides(comparison: StateComparison): Pick<StateEntry, 'old' | 'new' | 'reasons'> {
  return { old: side(comparison.old), new: side(comparison.new), reasons: comparison.reasons };
}

function side(summary: StateSummary): StateSide {
  return { lineage: summary.lineage, serial: summary.serial, resources: summary.resourceCount };
}
