import type { Reader } from './reader.js';

/** `[console]`: what the screen shows about this host (mailtel's own section, not Stalwart's). */
export interface ConsoleConfig {
  /** A word in the header on every screen, e.g. "PRODUCTION". */
  banner?: string;
  /** The banner's background: a colour name or #rrggbb (default red). */
  bannerColor?: string;
}

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray'];
const COLOR = new RegExp(`^(?:#[0-9a-fA-F]{6}|(?:bright)?(?:${NAMES.map((n) => n[0]!.toUpperCase() + n.slice(1)).join('|')})|${NAMES.join('|')})$`);

export function readConsole(r: Reader): ConsoleConfig {
  const out: ConsoleConfig = {};
  const banner = r.string(['console', 'banner']);
  if (banner !== undefined && banner.trim()) out.banner = banner.trim().slice(0, 40);
  const color = r.string(['console', 'banner-color']);
  if (color !== undefined) {
    if (COLOR.test(color.trim())) out.bannerColor = color.trim();
    else r.error(r.get(['console', 'banner-color'])!, `expected a colour name (${NAMES.join(', ')}, bright<Name>) or #rrggbb; got ${JSON.stringify(color)}`);
  }
  return out;
}
