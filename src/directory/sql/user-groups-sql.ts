import { sql } from 'kysely';
import type { SqlDialect, SqlExpression } from '../../storage/sql-dialect.ts';

/**
 * A user's direct groups as one JSON array column (`[{value, display}]`, ordered by group id), so
 * reading a user and its `groups` is one statement rather than two.
 */
export function userGroupsSql(dialect: SqlDialect, userAlias: string): SqlExpression {
  const u = sql.raw(userAlias);
  const aggregate = dialect.jsonArrayAggregate(
    [
      ['value', sql`ug.id`],
      ['display', sql`ug.display_name`],
    ],
    // The membership index's own order: no sort step.
    sql`ugm.group_id`,
  );
  return sql`(select ${aggregate} from group_members ugm
    join groups ug on ug.tenant_id = ugm.tenant_id and ug.id = ugm.group_id
    where ugm.tenant_id = ${u}.tenant_id and ugm.member_id = ${u}.id)`;
}

/** Decodes the column `userGroupsSql` produces. */
export function decodeUserGroups(dialect: SqlDialect, value: unknown): { value: string; display: string }[] {
  const decoded = dialect.decodeJson(value);
  return Array.isArray(decoded) ? (decoded as { value: string; display: string }[]) : [];
}
