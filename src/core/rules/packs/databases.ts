import type { RulePack } from '../types';

export const databasesPack: RulePack = {
  id: 'databases',
  rules: [],
};
