/**
 * The tests' PostgreSQL: a throwaway cluster on a free loopback port (the same starter the
 * history benchmark uses), or the server named by TRUSTSCAN_TEST_POSTGRES_URL. See
 * src/bench/throwaway-postgres.ts for when it is skipped and when its absence is a failure.
 */
export { type PgServer, POSTGRES_REQUIRED, startPostgres } from '../../src/bench/throwaway-postgres';
