import { createContext, useContext } from 'react';
import type { Schemas } from './api/client';

export type Me = Schemas['MeView'];
/** The signed-in caller (GET /api/me), for the pages under the layout. */
export const MeContext = createContext<Me | null>(null);
export const useMe = (): Me | null => useContext(MeContext);
