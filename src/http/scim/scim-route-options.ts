import type { Config } from '../../config.ts';
import type { ResourceEndpoint } from '../../scim/endpoints/resource-endpoints.ts';

export interface ScimRouteOptions {
  readonly config: Pick<Config, 'publicUrl' | 'bulk' | 'list'>;
  readonly endpoints: Readonly<Record<'Users' | 'Groups', ResourceEndpoint>>;
}
