import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readProcessCpuSeconds, readProcessMemory } from './process-stats.ts';

describe('process stats', { skip: process.platform !== 'linux' && 'reads /proc (Linux only)' }, () => {
  it('reads the RSS and its peak of a process', () => {
    const memory = readProcessMemory(process.pid);
    assert.ok(memory.rssBytes > 1024 * 1024);
    assert.ok(memory.peakRssBytes >= memory.rssBytes);
  });

  it('reads the CPU time a process used, in step with process.cpuUsage', () => {
    const before = readProcessCpuSeconds(process.pid);
    const start = process.cpuUsage();
    let x = 0;
    while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1e6 < 0.3) x++;
    const spent = readProcessCpuSeconds(process.pid) - before;
    assert.ok(x > 0);
    assert.ok(spent >= 0.2 && spent < 1, `spent ${spent} s`);
  });
});
