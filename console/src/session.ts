import { createContext, useContext } from 'react';

export type Role = 'ingest' | 'support' | 'operator' | 'admin';

export interface Session {
  role: Role;
  /** Roles whose routes the key may call (GET /v1/whoami): the console never guesses. */
  may: Role[];
  /** When the key in use was accepted: a new key (signing in again after a 401) changes it, so what was checked with the refused key is checked again. */
  signedIn: number;
  signOut: () => void;
}

export const SessionContext = createContext<Session>({ role: 'support', may: ['support'], signedIn: 0, signOut: () => undefined });
export const useSession = () => useContext(SessionContext);
export const useMay = (role: Role) => useSession().may.includes(role);
