import { ScimError } from '../scim/errors.ts';
import type { SqlDialect } from '../storage/sql-dialect.ts';

/**
 * Runs a write and turns a unique-constraint violation into SCIM's 409 `uniqueness`, naming the
 * attribute. Uniqueness is enforced by the database, so two concurrent creates cannot both win.
 * @see RFC 7644 §3.3 (409 on uniqueness), §3.12
 */
export async function withUniqueness<T>(
  dialect: SqlDialect,
  describe: (constraint: string) => string,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const constraint = dialect.uniqueViolation(error);
    if (constraint === undefined) throw error;
    throw new ScimError(409, 'uniqueness', describe(constraint));
  }
}
