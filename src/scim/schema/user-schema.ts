import type { SchemaDefinition } from './attribute-definition.ts';
import { defineAttribute, defineComplex, defineDisplay, definePrimary } from './define-attribute.ts';
import { USER_SCHEMA } from './schema-urns.ts';

/**
 * The core User schema as RFC 7643 §8.7.1 publishes it, with these deliberate changes, each marked
 * `DEVIATION` below: `groups` lists direct memberships only; `addresses` has the `primary`
 * sub-attribute; `x509Certificates.value` is caseExact.
 * @see RFC 7643 §4.1, §8.7.1
 */
export const USER_SCHEMA_DEFINITION: SchemaDefinition = Object.freeze({
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: Object.freeze([
    defineAttribute(
      'userName',
      'string',
      "Unique identifier for the User, typically used by the user to directly authenticate to the service provider. Each User MUST include a non-empty userName value.  This identifier MUST be unique across the service provider's entire set of Users. REQUIRED.",
      { required: true, uniqueness: 'server' },
    ),
    defineComplex(
      'name',
      "The components of the user's real name. Providers MAY return just the full name as a single string in the formatted sub-attribute, or they MAY return just the individual component attributes using the other sub-attributes, or they MAY return both.  If both variants are returned, they SHOULD be describing the same name, with the formatted name indicating how the component attributes should be combined.",
      [
        defineAttribute(
          'formatted',
          'string',
          "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display (e.g., 'Ms. Barbara J Jensen, III').",
        ),
        defineAttribute(
          'familyName',
          'string',
          "The family name of the User, or last name in most Western languages (e.g., 'Jensen' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        defineAttribute(
          'givenName',
          'string',
          "The given name of the User, or first name in most Western languages (e.g., 'Barbara' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        defineAttribute(
          'middleName',
          'string',
          "The middle name(s) of the User (e.g., 'Jane' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        defineAttribute(
          'honorificPrefix',
          'string',
          "The honorific prefix(es) of the User, or title in most Western languages (e.g., 'Ms.' given the full name 'Ms. Barbara J Jensen, III').",
        ),
        defineAttribute(
          'honorificSuffix',
          'string',
          "The honorific suffix(es) of the User, or suffix in most Western languages (e.g., 'III' given the full name 'Ms. Barbara J Jensen, III').",
        ),
      ],
    ),
    defineAttribute(
      'displayName',
      'string',
      'The name of the User, suitable for display to end-users.  The name SHOULD be the full name of the User being described, if known.',
    ),
    defineAttribute(
      'nickName',
      'string',
      "The casual way to address the user in real life, e.g., 'Bob' or 'Bobby' instead of 'Robert'.  This attribute SHOULD NOT be used to represent a User's username (e.g., 'bjensen' or 'mpepperidge').",
    ),
    defineAttribute(
      'profileUrl',
      'reference',
      "A fully qualified URL pointing to a page representing the User's online profile.",
      { referenceTypes: ['external'] },
    ),
    defineAttribute('title', 'string', 'The user\'s title, such as "Vice President."'),
    defineAttribute(
      'userType',
      'string',
      "Used to identify the relationship between the organization and the user.  Typical values used might be 'Contractor', 'Employee', 'Intern', 'Temp', 'External', and 'Unknown', but any value may be used.",
    ),
    defineAttribute(
      'preferredLanguage',
      'string',
      "Indicates the User's preferred written or spoken language.  Generally used for selecting a localized user interface; e.g., 'en_US' specifies the language English and country US.",
    ),
    defineAttribute(
      'locale',
      'string',
      "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations.",
    ),
    defineAttribute(
      'timezone',
      'string',
      "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'.",
    ),
    defineAttribute('active', 'boolean', "A Boolean value indicating the User's administrative status."),
    // Never readable: writeOnly and returned never, as §8.7.1 has it. @see RFC 7643 §4.1.1
    defineAttribute(
      'password',
      'string',
      "The User's cleartext password.  This attribute is intended to be used as a means to specify an initial password when creating a new User or to reset an existing User's password.",
      { mutability: 'writeOnly', returned: 'never' },
    ),
    defineComplex(
      'emails',
      "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
      [
        defineAttribute(
          'value',
          'string',
          "Email addresses for the user.  The value SHOULD be canonicalized by the service provider, e.g., 'bjensen@example.com' instead of 'bjensen@EXAMPLE.COM'. Canonical type values of 'work', 'home', and 'other'.",
        ),
        defineDisplay(),
        defineAttribute(
          'type',
          'string',
          "A label indicating the attribute's function, e.g., 'work' or 'home'.",
          {
            canonicalValues: ['work', 'home', 'other'],
          },
        ),
        definePrimary('the preferred mailing address or primary email address'),
      ],
      { multiValued: true },
    ),
    defineComplex(
      'phoneNumbers',
      "Phone numbers for the User.  The value SHOULD be canonicalized by the service provider according to the format specified in RFC 3966, e.g., 'tel:+1-201-555-0123'. Canonical type values of 'work', 'home', 'mobile', 'fax', 'pager', and 'other'.",
      [
        defineAttribute('value', 'string', 'Phone number of the User.'),
        defineDisplay(),
        defineAttribute(
          'type',
          'string',
          "A label indicating the attribute's function, e.g., 'work', 'home', 'mobile'.",
          {
            canonicalValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'],
          },
        ),
        definePrimary('the preferred phone number or primary phone number'),
      ],
      { multiValued: true },
    ),
    defineComplex(
      'ims',
      'Instant messaging addresses for the User.',
      [
        defineAttribute('value', 'string', 'Instant messaging address for the User.'),
        defineDisplay(),
        defineAttribute(
          'type',
          'string',
          "A label indicating the attribute's function, e.g., 'aim', 'gtalk', 'xmpp'.",
          {
            canonicalValues: ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo'],
          },
        ),
        definePrimary('the preferred messenger or primary messenger'),
      ],
      { multiValued: true },
    ),
    defineComplex(
      'photos',
      'URLs of photos of the User.',
      [
        defineAttribute('value', 'reference', 'URL of a photo of the User.', {
          referenceTypes: ['external'],
        }),
        defineDisplay(),
        defineAttribute(
          'type',
          'string',
          "A label indicating the attribute's function, i.e., 'photo' or 'thumbnail'.",
          {
            canonicalValues: ['photo', 'thumbnail'],
          },
        ),
        definePrimary('the preferred photo or thumbnail'),
      ],
      { multiValued: true },
    ),
    defineComplex(
      'addresses',
      "A physical mailing address for this User. Canonical type values of 'work', 'home', and 'other'.  This attribute is a complex type with the following sub-attributes.",
      [
        defineAttribute(
          'formatted',
          'string',
          'The full mailing address, formatted for display or use with a mailing label.  This attribute MAY contain newlines.',
        ),
        defineAttribute(
          'streetAddress',
          'string',
          'The full street address component, which may include house number, street name, P.O. box, and multi-line extended street address information.  This attribute MAY contain newlines.',
        ),
        defineAttribute('locality', 'string', 'The city or locality component.'),
        defineAttribute('region', 'string', 'The state or region component.'),
        defineAttribute('postalCode', 'string', 'The zip code or postal code component.'),
        defineAttribute('country', 'string', 'The country name component.'),
        defineAttribute(
          'type',
          'string',
          "A label indicating the attribute's function, e.g., 'work' or 'home'.",
          {
            canonicalValues: ['work', 'home', 'other'],
          },
        ),
        // DEVIATION: §8.7.1 omits `primary` here, but §2.4 gives it to every multi-valued attribute,
        // §8.2's full User example sends `addresses[].primary`, and provisioning clients do too.
        definePrimary('the preferred mailing address'),
      ],
      { multiValued: true },
    ),
    // DEVIATION: the server computes `groups` from Group memberships; it lists direct memberships
    // only, so `type` is always `direct`. Read-only as in §8.7.1. @see RFC 7643 §4.1.2
    defineComplex(
      'groups',
      "A list of groups to which the user belongs through direct membership. Read-only: change membership through the Group resource's 'members' attribute.",
      [
        defineAttribute('value', 'string', "The identifier of the User's group.", { mutability: 'readOnly' }),
        defineAttribute(
          '$ref',
          'reference',
          "The URI of the corresponding 'Group' resource to which the user belongs.",
          { mutability: 'readOnly', referenceTypes: ['User', 'Group'] },
        ),
        defineDisplay({ mutability: 'readOnly' }),
        defineAttribute('type', 'string', "A label indicating the attribute's function; always 'direct'.", {
          mutability: 'readOnly',
          canonicalValues: ['direct'],
        }),
      ],
      { multiValued: true, mutability: 'readOnly' },
    ),
    defineComplex(
      'entitlements',
      'A list of entitlements for the User that represent a thing the User has.',
      [
        defineAttribute('value', 'string', 'The value of an entitlement.'),
        defineDisplay(),
        defineAttribute('type', 'string', "A label indicating the attribute's function."),
        definePrimary(),
      ],
      { multiValued: true },
    ),
    defineComplex(
      'roles',
      "A list of roles for the User that collectively represent who the User is, e.g., 'Student', 'Faculty'.",
      [
        defineAttribute('value', 'string', 'The value of a role.'),
        defineDisplay(),
        defineAttribute('type', 'string', "A label indicating the attribute's function.", {
          canonicalValues: [],
        }),
        definePrimary(),
      ],
      { multiValued: true },
    ),
    defineComplex(
      'x509Certificates',
      'A list of certificates issued to the User.',
      [
        // DEVIATION: §8.7.1 says caseExact false, but a binary is case exact (§2.3.6): base64 text
        // differing in case is a different certificate.
        defineAttribute('value', 'binary', 'The value of an X.509 certificate.', { caseExact: true }),
        defineDisplay(),
        defineAttribute('type', 'string', "A label indicating the attribute's function.", {
          canonicalValues: [],
        }),
        definePrimary(),
      ],
      { multiValued: true },
    ),
  ]),
});
