import type { RulePack } from '../types';

export const servicesPack: RulePack = {
  id: 'services',
  rules: [],
};
