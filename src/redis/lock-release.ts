import { LuaScript } from './lua-script.ts';

/**
 * Deletes a key only while it holds the caller's value (lua/release.lua): the one
 * compare-and-delete behind every lock and lease, run on its own or called by other
 * scripts as `release`.
 */
export const RELEASE = LuaScript.fromFile(new URL('./lua/release.lua', import.meta.url));
