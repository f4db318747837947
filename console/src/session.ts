import { createContext, useContext } from 'react';

export type Role = 'ingest' | 'support' | 'operator' | 'admin';

export interface Session {
  role: Role;
  /** Roles whose routes the key may call (GET /v1/whoami): the console never guesses. */
  may: Role[];
  signOut: () => void;
}

export const SessionContext = createContext<Session>({ role: 'support', may: ['support'], signOut: () => undefined });
export const useSession = () => useContext(SessionContext);
export const useMay = (role: Role) => useSession().may.includes(role);
