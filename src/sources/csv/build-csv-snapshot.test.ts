import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSourceMapping, type SourceMapping } from '../mapping/compile-source-mapping.ts';
import { buildCsvSnapshot } from './build-csv-snapshot.ts';
import { parseCsvFile } from './parse-csv-file.ts';

const MAPPING: SourceMapping = {
  userName: 'login',
  displayName: 'Join(" ", first, last)',
  'emails[type eq "work"].value': 'email',
  active: 'active',
};

function build(text: string | Buffer, options: { mapping?: SourceMapping; complete?: boolean } = {}) {
  const mapping = options.mapping ?? MAPPING;
  const compiled = compileSourceMapping(mapping);
  assert.ok(compiled.ok);
  return buildCsvSnapshot(parseCsvFile(Buffer.isBuffer(text) ? text : Buffer.from(text)), {
    key: 'id',
    mapping,
    compiled: compiled.value,
    complete: options.complete ?? true,
  });
}

const HEADER = 'id,login,first,last,email,active\n';

describe('buildCsvSnapshot', () => {
  it('maps rows by the key column with expressions; empty cells are absent values', () => {
    const built = build(`${HEADER}e1,ann,Ann,Lee,ann@example.test,TRUE\ne2,bo,Bo,,,no\n`);
    assert.deepEqual(built.problems, []);
    assert.equal(built.fatal, false);
    assert.equal(built.snapshot.complete, true);
    assert.deepEqual(built.snapshot.users, [
      {
        key: 'e1',
        attributes: {
          userName: 'ann',
          displayName: 'Ann Lee',
          'emails[type eq "work"].value': 'ann@example.test',
          active: true,
        },
      },
      {
        key: 'e2',
        attributes: {
          userName: 'bo',
          displayName: 'Bo',
          'emails[type eq "work"].value': null,
          active: false,
        },
      },
    ]);
    assert.equal(built.lineOf.get('e2'), 3);
  });

  it('reports malformed rows, duplicate and empty keys and bad values on their lines', () => {
    const built = build(
      HEADER +
        'e1,ann,Ann,Lee,ann@example.test,true\n' + // 2
        'e2,bo,"Bo,Lee,bo@example.test,true\n' + // 3: an unclosed quote swallows the rest
        '',
    );
    assert.ok(built.problems.some((problem) => problem.line === 3 && /malformed CSV/.test(problem.reason)));

    const rows = build(
      HEADER +
        'e1,ann,Ann,Lee,ann@example.test,true\n' + // 2
        'e2,bo,Bo,Lee,bo-at-example.test,true\n' + // 3 bad e-mail
        'e3,cy,Cy,Lee,cy@example.test,maybe\n' + // 4 bad active
        'e1,dee,Dee,Lee,dee@example.test,true\n' + // 5 duplicate of line 2
        ',eve,Eve,Lee,eve@example.test,true\n' + // 6 no key
        'e6,,Fay,Lee,fay@example.test,true\n' + // 7 empty userName
        'e7,gus,Gus\n' + // 8 too few fields
        'e8,hal,Hal,Lee,hal@example.test,true\n', // 9 fine
    );
    assert.deepEqual(
      rows.problems.map((problem) => [problem.line, problem.key, problem.reason]),
      [
        [2, 'e1', 'duplicate key "e1" (lines 2, 5)'],
        [3, 'e2', 'emails[type eq "work"].value: "bo-at-example.test" is not an e-mail address'],
        [4, 'e3', 'active: "maybe" is not true or false'],
        [5, 'e1', 'duplicate key "e1" (lines 2, 5)'],
        [6, null, 'the key column "id" is empty'],
        [7, 'e6', 'userName: the value is empty'],
        [8, null, 'has 3 fields, the header has 6'],
      ],
    );
    assert.equal(rows.fatal, false);
    // Bad rows stay in the snapshot as invalid entries (never deleted); the good one is there.
    assert.deepEqual(
      rows.snapshot.users.map((user) => [user.key, user.problem === undefined]),
      [
        ['e1', false],
        ['e2', false],
        ['e3', false],
        ['e6', false],
        ['e8', true],
      ],
    );
    // Lines 6 and 8 have no readable key: who they are is unknown, so nothing may be deleted.
    assert.equal(rows.snapshot.complete, false);
    assert.match(rows.warnings.join('\n'), /deletions withheld: 2 row/);
    assert.equal(rows.rows, 8);
  });

  it('reports a mapped column the header lacks once, on line 1, and a missing key column', () => {
    const built = build('id,login,first,surname,email,active\ne1,ann,Ann,Lee,a@x.test,true\n');
    assert.equal(built.fatal, true);
    assert.deepEqual(built.problems, [
      {
        line: 1,
        key: null,
        reason: 'unknown column "last": the mapping of displayName reads it, the header does not have it',
      },
    ]);
    assert.match(built.warnings[0] ?? '', /columns not mapped \(ignored\): surname/);
    const noKey = build('login,first,last,email,active\nann,Ann,Lee,a@x.test,true\n');
    assert.equal(noKey.fatal, true);
    assert.match(noKey.problems[0]?.reason ?? '', /no key column "id"/);
  });

  it('matches columns ignoring case', () => {
    const built = build('ID,Login,First,Last,EMAIL,Active\ne1,ann,Ann,Lee,a@x.test,1\n');
    assert.deepEqual(built.problems, []);
    assert.equal(built.snapshot.users[0]?.attributes.userName, 'ann');
  });

  it('reports wrong encodings: invalid UTF-8 per line, UTF-16 for the whole file', () => {
    const latin1 = Buffer.concat([
      Buffer.from(`${HEADER}e1,ann,Ann,Lee,a@x.test,true\ne2,zoe,Zo`),
      Buffer.from([0xeb]),
      Buffer.from(',Lee,z@x.test,true\n'),
    ]);
    const built = build(latin1);
    assert.deepEqual(
      built.problems.map((problem) => [problem.line, problem.reason]),
      [[3, 'not valid UTF-8 (save the file as UTF-8)']],
    );
    assert.equal(built.snapshot.users.length, 1);
    assert.equal(built.snapshot.complete, false);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER, 'utf16le')]);
    const wide = build(utf16);
    assert.equal(wide.fatal, true);
    assert.match(wide.problems[0]?.reason ?? '', /UTF-16/);
  });
});
