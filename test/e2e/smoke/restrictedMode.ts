/**
 * The workspace setting test/e2e/installed.ts writes into the smoke's workspace: it would let medium
 * findings run, but the workspace opens in Restricted Mode, where package.json's
 * capabilities.untrustedWorkspaces.restrictedConfigurations makes VS Code ignore it.
 */
export const LOOSENING_SETTING = 'countersign.severityThreshold';
