import type { RulePack } from '../types';

export const kubernetesPack: RulePack = {
  id: 'kubernetes',
  rules: [],
};
