import type { Invocation } from './invocation';

/**
 * Images a line builds before it removes them: `docker build -t app:test . && docker run --rm app:test
 * && docker rmi -f app:test` cleans up after itself. Only tags spelled out on the line count.
 */
const BUILDERS = new Set(['docker', 'podman', 'nerdctl', 'buildah']);

/** `app` → `app:latest`; a digest or an explicit tag stays as it is. */
export function normalizeImage(ref: string): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return ref.includes('@') || last.includes(':') ? ref : `${ref}:latest`;
}

function isBuild(inv: Invocation): boolean {
  const [a, b] = inv.positionals;
  if (inv.tool === 'buildah') return a === 'bud' || a === 'build';
  return a === 'build' || ((a === 'buildx' || a === 'image' || a === 'builder') && b === 'build');
}

/** The tags a build command gives its image (`-t`, `--tag`, `--tag=`), when each is literal on the line. */
export function imagesBuilt(inv: Invocation): string[] {
  if (!BUILDERS.has(inv.tool) || !isBuild(inv)) return [];
  const tags: string[] = [];
  const words = inv.words;
  for (let i = 1; i < words.length; i++) {
    const w = words[i];
    let value: typeof w | undefined;
    let text: string | undefined;
    if (w.value === '-t' || w.value === '--tag') {
      value = words[++i];
      text = value?.value;
    } else if (w.value.startsWith('--tag=')) {
      value = w;
      text = w.value.slice('--tag='.length);
    } else if (/^-t[^-]/.test(w.value)) {
      value = w;
      text = w.value.slice(2);
    }
    if (value?.static && text) tags.push(normalizeImage(text));
  }
  return tags;
}

/** `rmi -f a b`, `image rm -f a`: whether every image it removes is one the line built. */
export function removesOnlyBuiltImages(inv: Invocation): boolean {
  const built = inv.builtImages;
  if (!built || built.size === 0) return false;
  const skip = inv.positionals[0] === 'rmi' ? 1 : 2;
  const targets = inv.positionals.slice(skip);
  if (targets.length === 0) return false;
  // The targets as the shell gave them: a word known only at run time is no image the line built.
  const staticValues = new Set(inv.words.filter((w) => w.static).map((w) => w.value));
  return targets.every((t) => staticValues.has(t) && built.has(normalizeImage(t)));
}
