import type { RulePack } from '../types';

export const systemPack: RulePack = {
  id: 'system',
  rules: [],
};
