import type { RulePack } from '../types';

export const containersPack: RulePack = {
  id: 'containers',
  rules: [],
};
