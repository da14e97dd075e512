#!/usr/bin/env node
// Entry point of the `lockstep` command. The sources are TypeScript run by Node's type stripping,
// which needs Node 22.18+ (the project brings Node 24 through the `node` npm package: use `npx lockstep`).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `lockstep needs Node.js 22.18 or newer (this is ${process.version}); run it as "npx lockstep".`,
  );
  process.exit(1);
}
await import('../src/cli/main.ts');
