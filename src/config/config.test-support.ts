import { type BootParts, type ConfigError, loadConfig } from './config';

/** The boot's problem lines for `env` (one per problem, as the process prints them), or none when it boots. */
export function configProblems(env: Record<string, string>, parts?: BootParts): string[] {
  try {
    loadConfig(env, parts);
  } catch (err) {
    return (err as ConfigError).problems;
  }
  return [];
}

/** A .creds file as `nsc generate creds` writes it: a user JWT, then the user's nkey seed. */
export function credsFileText(jwt: string, seed: Uint8Array): string {
  return [
    '-----BEGIN NATS USER JWT-----',
    jwt,
    '------END NATS USER JWT------',
    '',
    '************************* IMPORTANT *************************',
    'NKEY Seed printed below can be used to sign and prove identity.',
    'NKEYs are sensitive and should be treated as secrets.',
    '',
    '-----BEGIN USER NKEY SEED-----',
    new TextDecoder().decode(seed),
    '------END USER NKEY SEED------',
    '',
    '*************************************************************',
    '',
  ].join('\n');
}
