import { isDeepStrictEqual } from 'node:util';
import { normalizeResource } from '../src/scim/resource/normalize-resource.ts';
import { getResourceType } from '../src/scim/schema/schema-registry.ts';
import { buildGroupDocument, buildUserDocument } from './seed-documents.ts';

const SAMPLE_SIZE = 200;

/**
 * The seeder writes documents without calling `normalizeResource` (a million calls would dominate the
 * seeding time), so this checks, on the first, last and random documents, that each one is exactly
 * what `normalizeResource` makes of it as a POST body: same values and same key order.
 * Throws on the first difference.
 */
export function assertCanonicalSample(users: number, groups: number): void {
  const check = (resourceType: 'User' | 'Group', n: number, doc: Record<string, unknown>) => {
    const normalized = normalizeResource(getResourceType(resourceType), doc, 'create').doc;
    if (!isDeepStrictEqual(normalized, doc) || JSON.stringify(normalized) !== JSON.stringify(doc)) {
      throw new Error(
        `Seed ${resourceType} ${n} is not canonical:\n  built      ${JSON.stringify(doc)}\n  normalized ${JSON.stringify(normalized)}`,
      );
    }
  };
  for (const n of sampleOf(users)) check('User', n, buildUserDocument(n));
  for (const g of sampleOf(groups)) check('Group', g, buildGroupDocument(g));
}

function sampleOf(count: number): number[] {
  if (count <= 0) return [];
  const sample = [1, count];
  for (let i = 0; i < SAMPLE_SIZE; i++) sample.push(1 + Math.floor(Math.random() * count));
  return sample;
}
