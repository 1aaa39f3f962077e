import { DATA_TOOLS, saysDestructive, scriptOperand } from '../../engine/unknownTools';
import type { RulePack } from '../types';

/**
 * Tools no pack knows, and scripts: a command whose name or subcommand says it destroys (`./destroy.sh`,
 * `hack/destroy-cluster.sh`, `kind delete cluster`, `wp db reset`, `mytool backup-delete`) pauses at
 * medium, below every pack's own rule for what it knows. The verbs and their exceptions are in
 * engine/unknownTools.ts.
 */
export const genericPack: RulePack = {
  id: 'generic',
  detectors: {
    'generic.destructive-verb': (inv) => {
      const script = scriptOperand(inv.tool, inv.positionals, inv.options);
      if (script !== undefined) return saysDestructive(script, inv.positionals.slice(1), inv.options);
      return inv.unknownTool === true && !DATA_TOOLS.has(inv.tool) && saysDestructive(inv.argv[0], inv.positionals, inv.options);
    },
  },
  rules: [
    {
      id: 'generic.destructive-command',
      tools: ['*'],
      when: { all: [{ detect: 'generic.destructive-verb' }, { not: { option: ['help', 'dry-run'] } }] },
      severity: 'medium',
      title: 'Runs a command whose name says it destroys',
      why: 'No rule pack knows this command, but its name or subcommand says what it does: destroy, delete, drop, purge, wipe, reset, truncate, tear down. Scripts and CLIs named that way remove infrastructure or data, and nothing here can show what they touch.',
      saferAlternative: 'Read the script or the CLI’s help first (what it deletes, and in which account or environment), and run its dry-run or plan mode if it has one.',
    },
  ],
};
