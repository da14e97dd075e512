/**
 * The attribute paths a source supplies, and how one is written into a stored SCIM document:
 * `userName`, `name.givenName`, `emails[type eq "work"].value`. A path owns exactly that value: the
 * rest of the document (a home e-mail, a local nickname) is left as it is. A null value removes it.
 */
const PATH = /^([A-Za-z][\w$-]*)(?:\[type eq "([^"\\]*)"\])?(?:\.([A-Za-z][\w$-]*))?$/;

export interface ScimPath {
  readonly attribute: string;
  /** For a multi-valued attribute: the `type` of the element this path writes. */
  readonly type?: string;
  readonly subAttribute?: string;
}

/** Undefined when `path` is not one of the three forms above. */
export function parseScimPath(path: string): ScimPath | undefined {
  const match = PATH.exec(path.trim());
  if (match === null) return undefined;
  const [, attribute, type, subAttribute] = match;
  if (attribute === undefined) return undefined;
  if (type !== undefined && subAttribute === undefined) return undefined;
  return {
    attribute,
    ...(type !== undefined ? { type } : {}),
    ...(subAttribute !== undefined ? { subAttribute } : {}),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A list stands for its first value where a path holds one value; empty text is absent. */
const single = (value: unknown): unknown => {
  const one = Array.isArray(value) ? value[0] : value;
  return one === '' || one === undefined ? null : one;
};

/** Writes `value` at `path` into `doc` (mutating it); null or undefined removes the value. */
export function setScimPath(doc: Record<string, unknown>, path: ScimPath, raw: unknown): void {
  const value = single(raw);
  const { attribute, type, subAttribute } = path;
  if (subAttribute === undefined) {
    if (value === null) delete doc[attribute];
    else doc[attribute] = value;
    return;
  }
  if (type === undefined) {
    const complex = isObject(doc[attribute]) ? { ...(doc[attribute] as Record<string, unknown>) } : {};
    if (value === null) delete complex[subAttribute];
    else complex[subAttribute] = value;
    if (Object.keys(complex).length === 0) delete doc[attribute];
    else doc[attribute] = complex;
    return;
  }
  const list = Array.isArray(doc[attribute]) ? [...(doc[attribute] as unknown[])] : [];
  const index = list.findIndex((element) => isObject(element) && element.type === type);
  const element: Record<string, unknown> =
    index >= 0 ? { ...(list[index] as Record<string, unknown>) } : { type };
  if (value === null) delete element[subAttribute];
  else element[subAttribute] = value;
  const empty = Object.keys(element).every((key) => key === 'type' || key === 'primary');
  if (index >= 0) {
    if (empty) list.splice(index, 1);
    else list[index] = element;
  } else if (!empty) list.push(element);
  if (list.length === 0) delete doc[attribute];
  else doc[attribute] = list;
}
