import type { RulePack } from '../types';

export const paasPack: RulePack = {
  id: 'paas',
  rules: [],
};
