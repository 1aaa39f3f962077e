import type { AttributePath } from './types';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * An attribute path as people write it in HCL: `["ingress", 0, "cidr_blocks"]` → `ingress[0].cidr_blocks`,
 * odd keys quoted: `tags["kubernetes.io/role"]`. Shared by the blast radius (host) and the panel (browser).
 */
export function formatPath(path: AttributePath): string {
  let text = '';
  for (const step of path) {
    if (typeof step === 'number') text += `[${step}]`;
    else if (IDENTIFIER.test(step)) text += text === '' ? step : `.${step}`;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}
