// @ngpu/client: the Codama-generated clients of the five programs (one namespace each, since
// their names collide: every program has `getInitializeInstruction`, a `Config`, ...) and a
// small hand-written layer: PDAs named for users, flow builders that fill every derivable
// account, event decoding, error names, amounts as bigint base units, a send helper.
export * as ioToken from './generated/io_token';
export * as vesting from './generated/vesting';
export * as staking from './generated/staking';
export * as revenue from './generated/revenue';
export * as reservations from './generated/reservations';

// Enums and types a caller of the builders needs without reaching into a namespace.
export { Currency } from './generated/reservations/types/currency';
export { NodeAction } from './generated/staking/types/nodeAction';
export { NodeState } from './generated/staking/types/nodeState';

export * from './pdas';
export * from './amounts';
export * from './events';
export * from './errors';
export * from './reservation';
export * from './builders';
export * from './send';
export * from './chain';
