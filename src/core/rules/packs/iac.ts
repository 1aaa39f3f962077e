import type { RulePack } from '../types';

export const iacPack: RulePack = {
  id: 'iac',
  rules: [],
};
