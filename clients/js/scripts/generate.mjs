// Regenerates src/generated/<program>/ from ../../idl/<program>.json with Codama.
// Run: npm run generate (CI regenerates and fails on a diff).
//
// Besides Codama's rendering, this script:
// - renders each program's events (the IDL's `events` and their types) as defined types with
//   codecs, plus `events.ts`: the event discriminators and `decode<Program>Event`;
// - writes `errorNames.ts`: each error code's IDL name (`6007 → 'StakeLocked'`);
// - gives instruction accounts with one possible address a default, so callers need not pass
//   them: Anchor's `emit_cpi!` accounts (`eventAuthority`, `program`, and the staking /
//   io-token ones an instruction CPIs into), and staking's singletons (ledger, vaults).
import { readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  camelCase,
  createFromRoot,
  definedTypeNode,
  isNode,
  pascalCase,
  programIdValueNode,
  programNode,
  publicKeyValueNode,
  rootNode,
  setInstructionAccountDefaultValuesVisitor,
  updateAccountsVisitor,
  updateDefinedTypesVisitor,
} from 'codama';
import { rootNodeFromAnchor } from '@codama/nodes-from-anchor';
import { renderVisitor } from '@codama/renderers-js';
import { getAddressEncoder, getProgramDerivedAddress, getUtf8Encoder } from '@solana/kit';

const here = dirname(fileURLToPath(import.meta.url));
const programs = ['io_token', 'vesting', 'staking', 'revenue', 'reservations'];
const idls = Object.fromEntries(
  programs.map((p) => [p, JSON.parse(readFileSync(join(here, '../../../idl', `${p}.json`), 'utf8'))]),
);

const utf8 = getUtf8Encoder();
const pda = async (program, ...seeds) =>
  (await getProgramDerivedAddress({ programAddress: idls[program].address, seeds })).at(0);
const eventAuthority = (program) => pda(program, utf8.encode('__event_authority'));
const stakingConfig = await pda('staking', utf8.encode('config'));
const ioMint = await pda('io_token', utf8.encode('io_mint'));
const stakingVault = (owner) =>
  pda('staking', utf8.encode('vault'), getAddressEncoder().encode(owner), getAddressEncoder().encode(ioMint));

// Accounts that can only be one address, by name (an account the IDL already defaults keeps it).
const fixed = (account, address) => ({ account, defaultValue: publicKeyValueNode(address), ignoreIfOptional: true });
const commonRules = async (program) => [
  fixed('eventAuthority', await eventAuthority(program)),
  { account: 'program', defaultValue: programIdValueNode(), ignoreIfOptional: true },
  fixed('stakingEventAuthority', await eventAuthority('staking')),
  fixed('stakingProgram', idls.staking.address),
  fixed('ioTokenEventAuthority', await eventAuthority('io_token')),
  fixed('ioTokenProgram', idls.io_token.address),
];
const extraRules = {
  staking: async () => [
    fixed('ledger', await pda('staking', utf8.encode('ledger'))),
    fixed('rewardVault', await stakingVault(stakingConfig)),
    fixed(
      'escrowVault',
      await pda('staking', utf8.encode('escrow'), getAddressEncoder().encode(stakingConfig), getAddressEncoder().encode(ioMint)),
    ),
    fixed('emissionAuthority', await pda('staking', utf8.encode('emission'))),
  ],
};

for (const program of programs) {
  const idl = idls[program];
  if (idl.metadata?.spec !== '0.1.0') {
    throw new Error(`${program}: IDL metadata.spec is ${idl.metadata?.spec}, Codama's Anchor reader expects 0.1.0`);
  }
  const out = join(here, '../src/generated', program);
  rmSync(out, { recursive: true, force: true });
  const root = rootNodeFromAnchor(idl);
  // Events: Codama keeps them as event nodes, which renderers-js does not render; their data
  // types become defined types (same names as in the IDL) so that they get codecs.
  const taken = new Set([...root.program.definedTypes, ...root.program.accounts].map((n) => n.name));
  const eventTypes = root.program.events.map((event) => {
    if (taken.has(event.name)) throw new Error(`${program}: event ${event.name} collides with a type`);
    if (!isNode(event.data, 'hiddenPrefixTypeNode')) throw new Error(`${program}: event ${event.name} has no prefix`);
    return definedTypeNode({ name: event.name, type: event.data.type, docs: [`Event \`${pascalCase(event.name)}\`.`] });
  });
  const codama = createFromRoot(
    rootNode(
      programNode({ ...root.program, definedTypes: [...root.program.definedTypes, ...eventTypes] }),
      root.additionalPrograms,
    ),
  );
  // Short names: Anchor qualifies a program's own `Config` (and foreign ones it reads, e.g.
  // io-token's) by module path because two types share the name; Codama would render
  // `vestingStateConfigConfig`. Reservations' `ListingArgs` instruction type would collide with
  // the `ListingArgs` Codama derives for the `Listing` account.
  const own = `${camelCase(program)}StateConfigConfig`;
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
  const rules = [...(await commonRules(program)), ...((await extraRules[program]?.()) ?? [])];
  codama.update(setInstructionAccountDefaultValuesVisitor(rules));
  await codama.accept(renderVisitor(out, { formatCode: false, deleteFolderBeforeRendering: true }));
  writeFileSync(join(out, 'events.ts'), eventsModule(program, idl));
  writeFileSync(join(out, 'errorNames.ts'), errorNamesModule(program, idl));
  appendFileSync(join(out, 'index.ts'), "export * from './events';\nexport * from './errorNames';\n");
  console.log(`${program}: ${out}`);
}

function header() {
  return `/**
 * This code was generated by scripts/generate.mjs from the IDL's events and errors.
 * Please DO NOT EDIT THIS FILE: run \`npm run generate\`.
 */

`;
}

function eventsModule(program, idl) {
  const P = pascalCase(program);
  const U = program.toUpperCase();
  const events = idl.events ?? [];
  const names = events.map((e) => pascalCase(e.name));
  const imports = names.flatMap((n) => [`get${n}Decoder`, `type ${n}`]).join(', ');
  return `${header()}import { type Decoder, type ReadonlyUint8Array } from '@solana/kit';
import { ${imports} } from './types';

/** Every event of the program: its name and its decoded data. */
export type ${P}Event =
${names.map((n) => `  | { name: '${n}'; data: ${n} }`).join('\n')};

/** The 8-byte discriminator (\`sha256("event:<Name>")[..8]\`) of each event. */
export const ${U}_EVENT_DISCRIMINATORS: Readonly<Record<${P}Event['name'], Uint8Array>> = {
${events.map((e) => `  ${pascalCase(e.name)}: new Uint8Array([${e.discriminator.join(', ')}]),`).join('\n')}
};

const decoders: ReadonlyArray<readonly [${P}Event['name'], Uint8Array, () => Decoder<unknown>]> = [
${names.map((n) => `  ['${n}', ${U}_EVENT_DISCRIMINATORS.${n}, ${`get${n}Decoder`}],`).join('\n')}
];

/**
 * Decodes one event from its bytes: the 8-byte discriminator then its Borsh data (an
 * \`emit_cpi!\` instruction's data after the 8-byte EVENT_IX_TAG, or a \`Program data:\` log).
 * Returns null when the discriminator is none of this program's events.
 */
export function decode${P}Event(bytes: ReadonlyUint8Array): ${P}Event | null {
  if (bytes.length < 8) return null;
  for (const [name, discriminator, decoder] of decoders) {
    if (discriminator.every((b, i) => bytes[i] === b)) {
      return { name, data: decoder().decode(bytes, 8) } as ${P}Event;
    }
  }
  return null;
}
`;
}

function errorNamesModule(program, idl) {
  const U = program.toUpperCase();
  const errors = idl.errors ?? [];
  return `${header()}/** Each custom error code of the program and its name in the IDL (Anchor's \`#[error_code]\`). */
export const ${U}_ERROR_NAMES: Readonly<Record<number, string>> = {
${errors.map((e) => `  ${e.code}: '${e.name}',`).join('\n')}
};
`;
}
