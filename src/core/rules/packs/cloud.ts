import type { RulePack } from '../types';

export const cloudPack: RulePack = {
  id: 'cloud',
  rules: [],
};
