/**
 * Active Directory's objectGUID (16 bytes) as the canonical GUID string. The first three groups are
 * stored little-endian (a Windows GUID struct: Data1 uint32, Data2 and Data3 uint16), the last two as
 * bytes in order, so the bytes 00 11 22 33 44 55 66 77 88 … render as `33221100-5544-7766-8899-…`.
 * @see https://learn.microsoft.com/en-us/windows/win32/adschema/a-objectguid
 */
export function formatObjectGuid(bytes: Uint8Array): string | undefined {
  if (bytes.length !== 16) return undefined;
  const hex = (indexes: number[]) =>
    indexes.map((index) => (bytes[index] ?? 0).toString(16).padStart(2, '0')).join('');
  return [hex([3, 2, 1, 0]), hex([5, 4]), hex([7, 6]), hex([8, 9]), hex([10, 11, 12, 13, 14, 15])].join('-');
}

/** The inverse of `formatObjectGuid`: the 16 bytes AD stores (for a filter like `(objectGUID=\33\22…)`). */
export function parseObjectGuid(text: string): Buffer | undefined {
  const match = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(text.trim());
  if (match === null) return undefined;
  const [, a = '', b = '', c = '', d = '', e = ''] = match;
  const reversed = (group: string) => Buffer.from(group, 'hex').reverse();
  return Buffer.concat([reversed(a), reversed(b), reversed(c), Buffer.from(d + e, 'hex')]);
}
