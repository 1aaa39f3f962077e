import type { RulePack } from '../types';

export const gitPack: RulePack = {
  id: 'git',
  rules: [],
};
