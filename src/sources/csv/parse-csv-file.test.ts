import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCsvFile } from './parse-csv-file.ts';

describe('parseCsvFile', () => {
  it('reads UTF-8 with a BOM, quoted fields and multi-line values, with line numbers', () => {
    const file = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('id,name,note\n1,Zoë,"a, b"\n2,Ann,"two\nlines"\n3,Bo,x\n'),
    ]);
    const parsed = parseCsvFile(file);
    assert.deepEqual(parsed.header, ['id', 'name', 'note']);
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(
      parsed.rows.map((row) => [row.line, row.values.name]),
      [
        [2, 'Zoë'],
        [3, 'Ann'],
        [5, 'Bo'],
      ],
    );
  });

  it('reports invalid UTF-8, wrong field counts and UTF-16 per line', () => {
    const file = Buffer.concat([
      Buffer.from('id,name\n1,ok\n2,'),
      Buffer.from([0x5a, 0xeb]), // "Zë" in Latin-1
      Buffer.from('\n3,too,many\n4\n5,fine\n'),
    ]);
    const parsed = parseCsvFile(file);
    assert.deepEqual(
      parsed.problems.map((problem) => [problem.line, problem.reason.split(' ')[0]]),
      [
        [3, 'not'],
        [4, 'has'],
        [5, 'has'],
      ],
    );
    assert.deepEqual(
      parsed.rows.map((row) => row.values.id),
      ['1', '5'],
    );
    assert.match(parseCsvFile(Buffer.from([0xff, 0xfe, 0x41, 0x00])).problems[0]?.reason ?? '', /UTF-16/);
  });
});
