/** Injection tokens for what the process builds before Nest starts. */
export const CONFIG = Symbol('CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const RUNTIME_INFO = Symbol('RUNTIME_INFO');
