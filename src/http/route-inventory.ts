import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
  /** The admin API's access rule (`tenant`, `global`, `filtered`), when the route has one. */
  readonly access: string | undefined;
}

const inventories = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Remembers every route the server registers, so the authorization tests can walk all of them and a
 * new route cannot escape them. Call before any route is registered.
 */
export function trackRoutes(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  inventories.set(app, routes);
  app.addHook('onRoute', (route) => {
    const access = (route.config as { adminAccess?: string } | undefined)?.adminAccess;
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access });
  });
}

export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  return inventories.get(app) ?? [];
}
