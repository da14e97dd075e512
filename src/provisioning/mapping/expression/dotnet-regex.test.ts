// biome-ignore-all lint/suspicious/noTemplateCurlyInString: .NET replacement patterns write groups as ${name}
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDotnetRegex, expandReplacement, hasGroup } from './dotnet-regex.ts';

function replaceAll(input: string, pattern: string, replacement: string): string {
  const compiled = compileDotnetRegex(pattern);
  assert.ok(compiled.ok);
  let result = '';
  let last = 0;
  for (const match of input.matchAll(compiled.regex)) {
    result += input.slice(last, match.index) + expandReplacement(replacement, match, input);
    last = match.index + match[0].length;
  }
  return result + input.slice(last);
}

describe('expandReplacement (.NET substitutions)', () => {
  it('substitutes named and numbered groups, the match, and what surrounds it', () => {
    assert.equal(replaceAll('+91 9998887777', '\\+(?<isd>\\d* )(?<phone>\\d{10})', '${phone}'), '9998887777');
    assert.equal(replaceAll('John Smith', '(\\w+) (\\w+)', '$2, $1'), 'Smith, John');
    assert.equal(replaceAll('John Smith', '(\\w+) (\\w+)', '${2}-$0-$&'), 'Smith-John Smith-John Smith');
    assert.equal(replaceAll('a-b', '-', "[$`|$']"), 'a[a|b]b');
    assert.equal(replaceAll('ab', '(a)(b)?', '$+'), 'b');
    assert.equal(replaceAll('ab', 'b', '$_'), 'aab');
    assert.equal(replaceAll('price', 'price', '$$5'), '$5');
  });

  it('leaves references to missing groups as written, and empties groups that did not match', () => {
    assert.equal(replaceAll('ab', 'a', '${nope}$9'), '${nope}$9b');
    assert.equal(replaceAll('a', '(?<x>a)|(?<y>b)', '[${y}]'), '[]');
  });
});

describe('compileDotnetRegex', () => {
  it('reports invalid patterns without the JavaScript prefix', () => {
    assert.deepEqual(compileDotnetRegex('(?<a>x'), {
      ok: false,
      message: 'invalid regular expression: Unterminated group',
    });
    assert.equal(compileDotnetRegex("(?'name'x)").ok, false);
  });

  it('finds named groups, including ones in alternatives that cannot match the empty string', () => {
    const compiled = compileDotnetRegex('(?<Suffix>@(.)*)|(?<other>x+)');
    assert.ok(compiled.ok);
    assert.ok(hasGroup(compiled.regex, 'Suffix'));
    assert.ok(hasGroup(compiled.regex, 'other'));
    assert.ok(!hasGroup(compiled.regex, 'suffix'));
  });
});
