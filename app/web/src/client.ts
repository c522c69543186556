// The one place the page imports @ngpu/client from: the generated program clients (one
// namespace each) and the hand-written layer (PDAs, flow builders, events, errors, amounts).
export * from '@ngpu/client';
