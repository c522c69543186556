// Regenerates src/generated/<program>/ from ../../idl/<program>.json with Codama.
// Run: npm run generate (CI regenerates and fails on a diff).
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFromRoot, updateAccountsVisitor, updateDefinedTypesVisitor } from 'codama';
import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';


const here = dirname(fileURLToPath(import.meta.url));
const programs = ['io_token', 'vesting', 'staking', 'revenue', 'reservations'];
for (const program of programs) {
  const idl = JSON.parse(readFileSync(join(here, '../../../idl', `${program}.json`), 'utf8'));
  if (idl.metadata?.spec !== '0.1.0') {
    throw new Error(`${program}: IDL metadata.spec is ${idl.metadata?.spec}, Codama's Anchor reader expects 0.1.0`);
  }
  const out = join(here, '../src/generated', program);
  rmSync(out, { recursive: true, force: true });
  const codama = createFromRoot(rootNodeFromAnchor(idl));
  // Short names: Anchor qualifies a program's own `Config` (and foreign ones it reads, e.g.
  // io-token's) by module path because two types share the name; Codama would render
  // `vestingStateConfigConfig`. Reservations' `ListingArgs` instruction type would collide with
  // the `ListingArgs` Codama derives for the `Listing` account.
  const own = `${program.replace(/_([a-z])/g, (_, c) => c.toUpperCase())}StateConfigConfig`;
  codama.update(updateAccountsVisitor({ [own]: { name: 'config' } }));
  codama.update(
    updateDefinedTypesVisitor({
      ioTokenStateConfigConfig: { name: 'ioTokenConfig' },
      stakingStateConfigConfig: { name: 'stakingConfig' },
      listingArgs: { name: 'listingTerms' },
      // The program's own config last: it wins over the foreign names above.
      [own]: { name: 'config' },
    }),
  );
  await codama.accept(renderVisitor(out, { formatCode: false, deleteFolderBeforeRendering: true }));
  console.log(`${program}: ${out}`);
}
