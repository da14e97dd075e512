import { sql } from 'kysely';
import type { AttributePath } from '../../scim/filter/filter-ast.ts';
import type { AttributeDefinition } from '../../scim/schema/attribute-definition.ts';
import type { SqlDialect, SqlExpression } from '../../storage/sql-dialect.ts';
import { type ScalarAccess, textAccess } from './scalar-access.ts';
import { userGroupsSql } from './user-groups-sql.ts';

export interface FilterSqlContext {
  readonly dialect: SqlDialect;
  readonly tenantId: string;
  /** The tenant's SCIM base URL, for `meta.location` and `$ref`. */
  readonly baseUrl: string;
  /** Source of unique table aliases within one statement. */
  nextAlias(): string;
}

/**
 * A multi-valued attribute enumerated as rows: JSON array elements, or membership rows.
 * `from` is a FROM clause plus correlation (`... where ...` goes after it via `where`).
 */
export interface ElementSource {
  readonly from: SqlExpression;
  /** Correlation condition, or undefined when `from` is already correlated. */
  readonly where?: SqlExpression;
  field(sub: AttributeDefinition): ScalarAccess;
}

/** Where a resource type keeps what: columns, the JSON document, membership rows. */
export interface ResourceSqlMapping {
  readonly alias: string;
  readonly table: 'users' | 'groups';
  readonly doc: SqlExpression;
  /** The resource's stable insertion order, the last sort key of every query. */
  readonly seq: SqlExpression;
  /** A column-backed single value, for paths such as `userName` or `meta.lastModified`. */
  column(path: AttributePath, context: FilterSqlContext): ScalarAccess | undefined;
  /** Membership rows for the derived multi-valued attributes (`groups`, `members`). */
  derivedElements(path: AttributePath, context: FilterSqlContext): ElementSource | undefined;
  /** Extra select columns with derived values, for queries that render them (`ResourceQuery.derived`). */
  derivedColumns?(dialect: SqlDialect): SqlExpression[];
}

function metaColumn(
  alias: string,
  resourceType: 'User' | 'Group',
  sub: string | undefined,
  context: FilterSqlContext,
) {
  const a = sql.raw(alias);
  switch (sub) {
    case 'created':
      return textAccess(sql`${a}.created_at`);
    case 'lastModified':
      return textAccess(sql`${a}.last_modified`);
    case 'version':
      return textAccess(sql`('W/"' || ${a}.version || '"')`);
    case 'resourceType':
      // Typed: PostgreSQL cannot infer the type of a bare parameter (`$1 is not null`).
      return textAccess(sql`cast(${resourceType} as text)`);
    case 'location':
      return textAccess(sql`(${`${context.baseUrl}/${resourceType}s/`} || ${a}.id)`);
    case undefined:
      return { present: sql`(1 = 1)` };
    default:
      return undefined;
  }
}

const CORE_URNS = new Set([
  'urn:ietf:params:scim:schemas:core:2.0:User',
  'urn:ietf:params:scim:schemas:core:2.0:Group',
]);

function isCore(path: AttributePath): boolean {
  return path.uri === undefined || CORE_URNS.has(path.uri);
}

export const USER_SQL_MAPPING: ResourceSqlMapping = {
  alias: 'u',
  table: 'users',
  doc: sql.raw('u.doc'),
  seq: sql.raw('u.seq'),
  derivedColumns: (dialect) => [sql`${userGroupsSql(dialect, 'u')} as groups_json`],
  column(path, context) {
    if (!isCore(path)) return undefined;
    switch (path.name) {
      case 'id':
        return { text: sql.raw('u.id'), present: sql`(1 = 1)` };
      case 'userName':
        return { text: sql.raw('u.user_name'), folded: sql.raw('u.user_name_ci'), present: sql`(1 = 1)` };
      case 'externalId':
        return textAccess(sql.raw('u.external_id'));
      case 'displayName':
        return textAccess(
          context.dialect.jsonText(sql.raw('u.doc'), ['displayName']),
          sql.raw('u.display_name_ci'),
        );
      case 'meta':
        return metaColumn('u', 'User', path.sub, context);
      default:
        return undefined;
    }
  },
  derivedElements(path, context) {
    if (!isCore(path) || path.name !== 'groups') return undefined;
    const m = context.nextAlias();
    const g = context.nextAlias();
    return {
      from: sql`group_members ${sql.raw(m)} join groups ${sql.raw(g)} on ${sql.raw(g)}.tenant_id = ${sql.raw(m)}.tenant_id and ${sql.raw(g)}.id = ${sql.raw(m)}.group_id`,
      where: sql`${sql.raw(m)}.tenant_id = u.tenant_id and ${sql.raw(m)}.member_id = u.id`,
      field(sub) {
        switch (sub.name) {
          case 'value':
            return textAccess(sql`${sql.raw(m)}.group_id`);
          case 'display':
            return textAccess(sql`${sql.raw(g)}.display_name`, sql`${sql.raw(g)}.display_name_ci`);
          case 'type':
            return textAccess(sql`'direct'`);
          case '$ref':
            return textAccess(sql`(${`${context.baseUrl}/Groups/`} || ${sql.raw(m)}.group_id)`);
          default:
            return textAccess(sql`null`);
        }
      },
    };
  },
};

export const GROUP_SQL_MAPPING: ResourceSqlMapping = {
  alias: 'g',
  table: 'groups',
  doc: sql.raw('g.doc'),
  seq: sql.raw('g.seq'),
  column(path, context) {
    if (!isCore(path)) return undefined;
    switch (path.name) {
      case 'id':
        return { text: sql.raw('g.id'), present: sql`(1 = 1)` };
      case 'displayName':
        return {
          text: sql.raw('g.display_name'),
          folded: sql.raw('g.display_name_ci'),
          present: sql`(1 = 1)`,
        };
      case 'externalId':
        return textAccess(sql.raw('g.external_id'));
      case 'meta':
        return metaColumn('g', 'Group', path.sub, context);
      default:
        return undefined;
    }
  },
  derivedElements(path, context) {
    if (!isCore(path) || path.name !== 'members') return undefined;
    const m = sql.raw(context.nextAlias());
    const display = memberDisplay(context, m);
    return {
      from: sql`group_members ${m}`,
      where: sql`${m}.tenant_id = g.tenant_id and ${m}.group_id = g.id`,
      field(sub) {
        switch (sub.name) {
          case 'value':
            return textAccess(sql`${m}.member_id`);
          case 'type':
            return textAccess(sql`${m}.member_type`);
          case 'display':
            return textAccess(display);
          case '$ref':
            return textAccess(
              sql`(${context.baseUrl} || case ${m}.member_type when 'Group' then '/Groups/' else '/Users/' end || ${m}.member_id)`,
            );
          default:
            return textAccess(sql`null`);
        }
      },
    };
  },
};

/** A member's `display`: a user's displayName (else userName), a group's displayName. */
export function memberDisplay(context: FilterSqlContext, member: SqlExpression): SqlExpression {
  const u = sql.raw(context.nextAlias());
  const g = sql.raw(context.nextAlias());
  const userDisplay = context.dialect.jsonText(sql`${u}.doc`, ['displayName']);
  return sql`(case ${member}.member_type
    when 'User' then (select coalesce(${userDisplay}, ${u}.user_name) from users ${u} where ${u}.tenant_id = ${member}.tenant_id and ${u}.id = ${member}.member_id)
    else (select ${g}.display_name from groups ${g} where ${g}.tenant_id = ${member}.tenant_id and ${g}.id = ${member}.member_id) end)`;
}
