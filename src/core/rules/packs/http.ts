import type { RulePack } from '../types';

export const httpPack: RulePack = {
  id: 'http',
  rules: [],
};
