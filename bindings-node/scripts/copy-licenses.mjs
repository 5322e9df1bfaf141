#!/usr/bin/env node
// Copies the license texts of the repository root (LICENSE-MIT, LICENSE-APACHE) into the npm package before it is
// packed (`prepack`), as npm packs no symlinks and no file outside the package. With --platform-packages (the
// release workflow, after `napi artifacts`), also into every npm/<platform>/ package, adding them to its `files`.
import { copyFileSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootDir = path.resolve(pkgDir, '..');
const LICENSES = ['LICENSE-MIT', 'LICENSE-APACHE'];

function copyInto(dir) {
  for (const name of LICENSES) copyFileSync(path.join(rootDir, name), path.join(dir, name));
}

copyInto(pkgDir);
if (process.argv.includes('--platform-packages')) {
  const npmDir = path.join(pkgDir, 'npm');
  for (const entry of readdirSync(npmDir, { withFileTypes: true })) {
    const dir = path.join(npmDir, entry.name);
    const manifest = path.join(dir, 'package.json');
    if (!entry.isDirectory() || !existsSync(manifest)) continue;
    copyInto(dir);
    const json = JSON.parse(readFileSync(manifest, 'utf8'));
    json.files = [...new Set([...(json.files ?? []), ...LICENSES])];
    writeFileSync(manifest, `${JSON.stringify(json, null, 2)}\n`);
  }
}
