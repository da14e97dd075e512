import type { AttributePath, Filter } from '../filter/filter-ast.ts';

/**
 * Microsoft Entra ID matches users on `emails[type eq "work"].value` and requires filters such as
 * `emails[type eq "work"].value eq "user@contoso.com"`, a sub-attribute after `]` that RFC 7644's
 * filter grammar allows only in PATCH paths. The comparison on the sub-attribute joins the bracket
 * filter, `emails[type eq "work" and value eq "user@contoso.com"]`: both must hold for one element.
 * @see Microsoft Learn, "Tutorial: Develop and plan provisioning for a SCIM endpoint", "/Users:"
 *   ("a GET to /Users with a filter must allow for both userName eq … and emails[type eq "work"].value eq … queries")
 */
export function foldEntraValuePathSubAttribute(
  path: AttributePath,
  filter: Filter,
  subFilter: Filter,
): Filter {
  return { kind: 'valuePath', path, filter: { kind: 'and', left: filter, right: subFilter } };
}
