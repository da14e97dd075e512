import { z } from 'zod';

/**
 * A target's `/ServiceProviderConfig` as clients meet it in the field: RFC 7643 §5 asks for booleans
 * and integers, some servers send them as strings ("true", "1000"), and some leave out whole
 * sections, which then count as "not supported". Anything else of the wrong shape is refused.
 * @see RFC 7643 §5, RFC 9865 §4 (`pagination`)
 */
const flag = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])]).transform((value) => {
  return typeof value === 'boolean' ? value : value.toLowerCase() === 'true';
});
const count = z.union([z.int().min(0), z.string().regex(/^\d{1,12}$/)]).transform(Number);
const supported = z.looseObject({ supported: flag });

export const ServiceProviderConfigSchema = z.looseObject({
  schemas: z.array(z.string()).optional(),
  patch: supported.optional(),
  bulk: z
    .looseObject({ supported: flag, maxOperations: count.optional(), maxPayloadSize: count.optional() })
    .optional(),
  filter: z.looseObject({ supported: flag, maxResults: count.optional() }).optional(),
  changePassword: supported.optional(),
  sort: supported.optional(),
  etag: supported.optional(),
  /** RFC 9865 (SCIM cursor pagination). */
  pagination: z
    .looseObject({
      cursor: flag.optional(),
      index: flag.optional(),
      defaultPaginationMethod: z.string().optional(),
      defaultPageSize: count.optional(),
      maxPageSize: count.optional(),
    })
    .optional(),
});

export type ServiceProviderConfig = z.output<typeof ServiceProviderConfigSchema>;
