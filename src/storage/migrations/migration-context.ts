/** What a migration may vary on: the SQL dialect. Migrations are append-only; never edit a shipped one. */
export interface MigrationContext {
  readonly dialect: 'sqlite' | 'postgres';
}
