const PREFIX = 'bulkId:';

/** Every `bulkId:<id>` string in a value (data or path), as the ids it names. @see RFC 7644 §3.7.2 */
export function collectBulkReferences(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string') {
    if (value.startsWith(PREFIX)) found.add(value.slice(PREFIX.length));
    else {
      // Paths such as `/Groups/bulkId:qwerty`.
      const index = value.indexOf(`/${PREFIX}`);
      if (index >= 0) found.add(value.slice(index + 1 + PREFIX.length));
    }
  } else if (Array.isArray(value)) {
    for (const item of value) collectBulkReferences(item, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) collectBulkReferences(item, found);
  }
  return found;
}

/** Replaces resolved `bulkId:<id>` references with the ids of the resources created for them. */
export function substituteBulkReferences(value: unknown, resolved: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') {
    if (value.startsWith(PREFIX)) return resolved.get(value.slice(PREFIX.length)) ?? value;
    const index = value.indexOf(`/${PREFIX}`);
    if (index >= 0) {
      const id = resolved.get(value.slice(index + 1 + PREFIX.length));
      return id === undefined ? value : `${value.slice(0, index + 1)}${id}`;
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => substituteBulkReferences(item, resolved));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteBulkReferences(item, resolved)]),
    );
  }
  return value;
}

export function isBulkReference(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

export function bulkReferenceId(value: string): string {
  return value.slice(PREFIX.length);
}
