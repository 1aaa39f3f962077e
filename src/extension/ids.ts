// Ids shared by the entry (which registers them at activation) and the runtime (which handles them).
// They must match package.json's contributions; a test checks that every contribution resolves.

export const KILL_SWITCH_COMMAND = 'countersign.killSwitch';
export const REARM_COMMAND = 'countersign.rearm';
export const SHOW_REVIEW_COMMAND = 'countersign.showReview';
/** Must match `contributes.terminal.profiles` in package.json. */
export const PROFILE_ID = 'countersign.guardedShell';
export const CHECK_PROTECTION_COMMAND = 'countersign.checkProtection';
export const NEW_GUARDED_TERMINAL_COMMAND = 'countersign.newGuardedTerminal';
