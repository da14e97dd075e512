/** Per-request options of a directory write. */
export interface WriteOptions {
  /** The client's If-Match header: the write happens only at that version (else 412). @see RFC 7644 §3.14 */
  readonly ifMatch?: string;
  /** The tenant's SCIM base URL, for values derived from it (`$ref`). */
  readonly baseUrl?: string;
}
