/** The entry of dist/hook-engine.js: the engine alone, which the hook's thin client loads only when no window answers. */
export { engineVerdict } from '../node/hooks/engineVerdict';
