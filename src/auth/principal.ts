import type { AdminPrincipal } from './admin-token-service.ts';
import type { AppPrincipal } from './app-credentials.ts';

/** Who is making a request: an app (SCIM) or an administrator (admin API). */
export type Principal = AppPrincipal | AdminPrincipal;

export type { AdminPrincipal, AppPrincipal };
