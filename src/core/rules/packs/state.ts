import type { RulePack } from '../types';

export const statePack: RulePack = {
  id: 'state',
  rules: [],
};
