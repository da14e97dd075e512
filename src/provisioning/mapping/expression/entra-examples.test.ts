/**
 * The examples of Microsoft Entra ID's expression reference, each run as written: parsed,
 * type-checked against an open-world catalogue, evaluated with the documented input.
 * @see https://learn.microsoft.com/entra/identity/app-provisioning/functions-for-customizing-application-data
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .NET replacement patterns write groups as ${name}
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkExpression } from './check-expression.ts';
import { evaluateExpression } from './evaluate-expression.ts';
import type { AttributeCatalogue } from './expression-types.ts';
import type { MappedValue } from './expression-value.ts';
import { parseExpression } from './parse-expression.ts';

/** LDAP-like: unknown names are strings; `days` stands for the number DateDiff would return. */
const OPEN_WORLD: AttributeCatalogue = {
  lookup: (name) => (name === 'days' ? { type: 'number', multiValued: false } : undefined),
  openWorld: true,
};

function evaluate(text: string, attributes: Record<string, unknown> = {}): MappedValue {
  const parsed = parseExpression(text);
  if (!parsed.ok) assert.fail(`${text}: ${parsed.error.message}`);
  const checked = checkExpression(parsed.expression, OPEN_WORLD);
  if (!checked.ok) assert.fail(`${text}: ${checked.errors[0]!.message}`);
  const result = evaluateExpression(parsed.expression, (name) => attributes[name]);
  if (!result.ok) assert.fail(`${text}: ${result.error.message}`);
  return result.value;
}

describe("Entra's documented examples", () => {
  it('Append: append constant suffix to user name', () => {
    const upn = { userPrincipalName: 'John.Doe@contoso.com' };
    assert.equal(evaluate('Append([userPrincipalName], ".test")', upn), 'John.Doe@contoso.com.test');
  });

  it('Coalesce: flow mail value if not NULL, otherwise flow userPrincipalName', () => {
    const input = { mail: null, userPrincipalName: 'John.Doe@contoso.com' };
    assert.equal(evaluate('Coalesce([mail],[userPrincipalName])', input), 'John.Doe@contoso.com');
  });

  it('FormatDateTime: output date as a string in a certain format (AD generalized time)', () => {
    const input = { extensionAttribute1: '20150123105347.1Z' };
    assert.equal(
      evaluate('FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")', input),
      '2015-01-23',
    );
  });

  it('FormatDateTime inside the NumFromDate examples (Workday and SuccessFactors)', () => {
    const workday =
      'Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00")';
    assert.equal(evaluate(workday, { ContractEndDate: '2020-12-31-08:00' }), '2020-12-31 23:59:59-08:00');
    const successFactors =
      'Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd"),"23:59:59")';
    assert.equal(evaluate(successFactors, { endDate: '12/31/2020 05:00:00 PM' }), '2020-12-3123:59:59');
  });

  it('IIF: the country example, and AND / OR by nesting', () => {
    const iif = 'IIF([country]="USA",[country],[department])';
    assert.equal(evaluate(iif, { country: 'USA', department: 'Sales' }), 'USA');
    assert.equal(evaluate(iif, { country: 'NL', department: 'Sales' }), 'Sales');
    const and = 'IIF([country]="USA",IIF([state]="CA","True","False"),"False")';
    assert.equal(evaluate(and, { country: 'USA', state: 'CA' }), 'True');
    assert.equal(evaluate(and, { country: 'USA', state: 'NY' }), 'False');
    const or = 'IIF([country]="USA","True",IIF([state]="CA","True","False"))';
    assert.equal(evaluate(or, { country: 'NL', state: 'CA' }), 'True');
    assert.equal(evaluate(or, { country: 'NL', state: 'NY' }), 'False');
  });

  it('IsNull: true if the attribute is not present', () => {
    assert.equal(evaluate('IsNull([displayName])', {}), true);
    assert.equal(evaluate('IsNull([displayName])', { displayName: '' }), false);
  });

  it('IsNullOrEmpty: true if the attribute is not present or an empty string', () => {
    assert.equal(evaluate('IsNullOrEmpty([displayName])', { displayName: '' }), true);
    assert.equal(evaluate('IsNullOrEmpty([displayName])', { displayName: 'x' }), false);
  });

  it('IsPresent: the Switch example type-checks and evaluates', () => {
    const text =
      'Switch(IsPresent([directManager]),[directManager], IsPresent([skiplevelManager]),[skiplevelManager], IsPresent([director]),[director])';
    assert.equal(evaluate(text, { directManager: 'dm', skiplevelManager: 'sm', director: 'd' }), 'sm');
  });

  it('Join: add a comma between last name and first name (empty values skipped)', () => {
    assert.equal(
      evaluate('Join(", ", "", [surname], [givenName])', { givenName: 'John', surname: 'Doe' }),
      'Doe, John',
    );
  });

  it('Left: "John Doe", 3 returns "Joh"', () => {
    assert.equal(evaluate('Left("John Doe", 3)'), 'Joh');
  });

  it('Mid: generate a user alias from the first letters of first and last name', () => {
    const input = { givenName: 'John', surname: 'Doe' };
    assert.equal(evaluate('Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))', input), 'JohDoe');
  });

  it('Mid, Join, StripSpaces, NormalizeDiacritics: the SelectUniqueValue rules', () => {
    const input = { PreferredFirstName: 'John', PreferredLastName: 'Smith' };
    const rule = (mid: string) =>
      `Join("@", NormalizeDiacritics(StripSpaces(Join(".",  ${mid}, [PreferredLastName]))), "contoso.com")`;
    assert.equal(evaluate(rule('[PreferredFirstName]'), input), 'John.Smith@contoso.com');
    assert.equal(evaluate(rule('Mid([PreferredFirstName], 1, 1)'), input), 'J.Smith@contoso.com');
    assert.equal(evaluate(rule('Mid([PreferredFirstName], 1, 2)'), input), 'Jo.Smith@contoso.com');
  });

  it('NormalizeDiacritics: "Zoë" becomes "Zoe"', () => {
    assert.equal(evaluate('NormalizeDiacritics([givenName])', { givenName: 'Zoë' }), 'Zoe');
  });

  it('Not: flips True to False and anything else to True', () => {
    assert.equal(evaluate('Not("True")'), false);
    assert.equal(evaluate('Not("False")'), true);
    assert.equal(evaluate('Not([flag])', {}), true);
  });

  it('Replace example 1: oldValue and replacementValue', () => {
    const text = 'Replace([BusinessTitle],"Product Developer", , , "Software Engineer", , )';
    assert.equal(evaluate(text, { BusinessTitle: 'Product Developer' }), 'Software Engineer');
  });

  it('Replace example 2: oldValue and template', () => {
    const text = 'Replace([UserID],"<username>", , , , , "<username>@contoso.com")';
    assert.equal(evaluate(text, { UserID: 'jsmith' }), 'jsmith@contoso.com');
  });

  it('Replace example 3: regexPattern and replacementValue with a group substitution', () => {
    const text =
      'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )';
    assert.equal(evaluate(text, { telephoneNumber: '+91 9998887777' }), '9998887777');
  });

  it('Replace example 3: removing parentheses, dashes and spaces', () => {
    // The reference prints "19998887777", but its pattern does not match the "+", which stays.
    assert.equal(
      evaluate('Replace([mobile], , "[()\\\\s-]+", , "", , )', { mobile: '+1 (999) 888-7777' }),
      '+19998887777',
    );
  });

  it('Replace example 4: regexPattern, regexGroupName and replacementValue', () => {
    const street = 'Replace([AddressLineData], ,"(?<streetNumber>^\\\\d*)","streetNumber", "888", , )';
    assert.equal(evaluate(street, { AddressLineData: '545 Tremont Street' }), '888 Tremont Street');
    const suffix = 'Replace([userPrincipalName], , "(?<Suffix>@(.)*)", "Suffix", "", , )';
    assert.equal(evaluate(suffix, { userPrincipalName: 'jsmith@contoso.com' }), 'jsmith');
  });

  it('Replace example 5: regexPattern, regexGroupName and replacementAttributeName', () => {
    const text =
      'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", "phoneNumber" , , [mobile], )';
    assert.equal(evaluate(text, { telephoneNumber: '', mobile: '+91 8887779999' }), '8887779999');
    assert.equal(
      evaluate(text, { telephoneNumber: '+1 5551234567', mobile: '+91 8887779999' }),
      '+1 5551234567',
    );
  });

  it('Replace example 6: remove the characters a regular expression matches', () => {
    assert.equal(
      evaluate('Replace([mailNickname], , "[a-zA-Z_]*", , "", , )', { mailNickname: 'john_doe72' }),
      '72',
    );
  });

  it('Replace: strip a known domain name', () => {
    assert.equal(
      evaluate('Replace([mail], "@contoso.com", , ,"", ,)', { mail: 'john.doe@contoso.com' }),
      'john.doe',
    );
  });

  it('Split: a comma-delimited list into a multi-valued array', () => {
    const input = { extensionAttribute5: 'PermissionSetOne, PermissionSetTwo' };
    assert.deepEqual(evaluate('Split([extensionAttribute5], ",")', input), [
      'PermissionSetOne',
      'PermissionSetTwo',
    ]);
  });

  it('Switch: time zone by state code, with a default', () => {
    const text =
      'Switch([state], "Australia/Sydney", "NSW", "Australia/Sydney","QLD", "Australia/Brisbane", "SA", "Australia/Adelaide")';
    assert.equal(evaluate(text, { state: 'QLD' }), 'Australia/Brisbane');
    assert.equal(evaluate(text, { state: 'WA' }), 'Australia/Sydney');
  });

  it('Switch: case-insensitive matching through ToLower', () => {
    const text = 'Switch(ToLower([statusFlag]), "0", "true", "1", "false", "0")';
    for (const flag of ['True', 'true', 'TRUE']) assert.equal(evaluate(text, { statusFlag: flag }), '1');
    assert.equal(evaluate(text, { statusFlag: 'FALSE' }), '0');
  });

  it('Switch: an empty-string key catches empty and absent values', () => {
    const text = 'Switch([statusFlag], "Default Value", "true", "1", "", "0")';
    assert.equal(evaluate(text, { statusFlag: '' }), '0');
    assert.equal(evaluate(text, {}), '0');
    assert.equal(evaluate(text, { statusFlag: 'maybe' }), 'Default Value');
    assert.equal(evaluate('Switch([country],[country],"","Other")', {}), 'Other');
    assert.equal(evaluate('Switch([country],[country],"","Other")', { country: 'NL' }), 'NL');
  });

  it('Switch: omitted default with IIF values (the DateDiff example, without DateDiff)', () => {
    const text = 'Switch([Active], , "1", IIF([days] > 5, "False", "True"), "0", "False")';
    assert.equal(evaluate(text, { Active: '1', days: 7 }), 'False');
    assert.equal(evaluate(text, { Active: '0', days: 7 }), 'False');
    assert.equal(evaluate(text, { Active: '2' }), null);
  });

  it('Switch: the IIF rewrite of a Switch on companyName', () => {
    const text = 'IIF([companyName] = "Company A", "A", IIF([companyName] = "Company B", "B", "External"))';
    assert.equal(evaluate(text, { companyName: 'Company B' }), 'B');
    assert.equal(evaluate(text, { companyName: 'Company C' }), 'External');
  });

  it('ToLower: convert a generated userPrincipalName to lower case', () => {
    const text =
      'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".",  [PreferredFirstName], [PreferredLastName]))), "contoso.com"))';
    assert.equal(
      evaluate(text, { PreferredFirstName: 'John', PreferredLastName: 'Smith' }),
      'john.smith@contoso.com',
    );
  });

  it('ToUpper and ToLower: invariant by default, culture rules when given (ja-JP, en-US, tr-TR)', () => {
    assert.equal(evaluate('ToUpper("istanbul")'), 'ISTANBUL');
    assert.equal(evaluate('ToUpper("istanbul", "tr-TR")'), 'İSTANBUL');
    assert.equal(evaluate('ToLower("ISTANBUL", "tr-TR")'), 'ıstanbul');
    assert.equal(evaluate('ToLower("Straße", "en-US")'), 'straße');
    assert.equal(evaluate('ToUpper("abc", "ja-JP")'), 'ABC');
  });

  it('StripSpaces: removes all space characters', () => {
    assert.equal(evaluate('StripSpaces([name])', { name: ' J o h n ' }), 'John');
  });
});
