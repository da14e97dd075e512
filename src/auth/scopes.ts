/**
 * SCIM scopes an app may hold. `scim` reads and writes, `scim:read` only reads; `/acs/scim` (what
 * Alibaba Cloud RAM's OAuth apps carry, REFERENCE.md §4) is an alias of `scim`.
 */
export const SCIM_SCOPES = ['scim', 'scim:read'] as const;
export type ScimScope = (typeof SCIM_SCOPES)[number];

const ALIASES: Readonly<Record<string, ScimScope>> = { '/acs/scim': 'scim' };

/** The canonical scope a requested or configured name stands for, or undefined when unknown. */
export function canonicalScope(name: string): ScimScope | undefined {
  if ((SCIM_SCOPES as readonly string[]).includes(name)) return name as ScimScope;
  return ALIASES[name];
}

export function isScopeName(name: string): boolean {
  return canonicalScope(name) !== undefined;
}

/** Whether holding `granted` permits `wanted` (`scim` includes `scim:read`). */
export function scopeCovers(granted: readonly ScimScope[], wanted: ScimScope): boolean {
  return granted.includes(wanted) || (wanted === 'scim:read' && granted.includes('scim'));
}

/** Scopes that both sides allow: a token's scopes narrowed by its app's current ones. */
export function intersectScopes(token: readonly ScimScope[], app: readonly ScimScope[]): ScimScope[] {
  const result = new Set<ScimScope>();
  for (const scope of token) {
    if (scopeCovers(app, scope)) result.add(scope);
    else if (scope === 'scim' && scopeCovers(app, 'scim:read')) result.add('scim:read');
  }
  return [...result];
}
