/** Splits `items` into runs of at most `size`, to stay under the databases' bound-parameter limits. */
export function chunks<T>(items: readonly T[], size = 1000): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
