/**
 * Turns on V8's linear-time regular expression engine for this process: a
 * RegExp made with the `l` flag then runs in time linear in its input, with
 * no backtracking at all. Template parameter patterns are run only on it
 * (src/domain/templates/linear-pattern.ts), so a value checked against a
 * carelessly written pattern (`(a|a)+`, `(.*a){12}`) cannot hold the API's
 * one thread for minutes. V8 reads the flag when such a RegExp is made, so
 * turning it on once the process runs is enough; every module that checks
 * templates or their values imports this one first.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--enable-experimental-regexp-engine');
