import type { RulePack } from '../types';

export const filesystemPack: RulePack = {
  id: 'filesystem',
  rules: [],
};
