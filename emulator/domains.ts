/** The two domains another part of the emulator implements, consumed only through api/contract. */
export * as relation from './relation';
export * as group from './group';
