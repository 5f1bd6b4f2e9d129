import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import dark from '../../themes/dark.json' with { type: 'json' };
import highContrast from '../../themes/high-contrast.json' with { type: 'json' };
import light from '../../themes/light.json' with { type: 'json' };
import mono from '../../themes/mono.json' with { type: 'json' };

/**
 * Themes are JSON files (themes/*.json): a style per role. The four built-in ones are bundled
 * so the console works from any directory; `--theme NAME` also finds other files in themes/,
 * and `--theme path/to/file.json` reads any file. NO_COLOR selects `mono`.
 */
export const ROLES = [
  'text', 'muted', 'brand', 'title', 'title.focused', 'rule', 'key', 'number', 'badge', 'selected', 'spark', 'hint',
  'snippet', 'state.ok', 'state.warn', 'state.bad', 'state.off',
  'level.trace', 'level.debug', 'level.info', 'level.warn', 'level.error',
] as const;
export type Role = (typeof ROLES)[number];

export interface StyleSpec {
  fg?: string;
  bg?: string;
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

export interface Theme {
  name: string;
  /** The SGR escape that opens each role's style; '' for plain text. */
  sgr: Record<Role, string>;
}

export type ColorDepth = 'truecolor' | '256';

const BUILTIN: Record<string, unknown> = { dark, light, 'high-contrast': highContrast, mono };
export const BUILTIN_THEMES: readonly string[] = Object.keys(BUILTIN);

const NAMED = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

function colorCode(color: string, bg: boolean, depth: ColorDepth): string {
  const base = NAMED.indexOf(color);
  if (base >= 0) return String((bg ? 40 : 30) + base);
  if (color === 'gray' || color === 'grey') return String(bg ? 100 : 90);
  if (color.startsWith('bright')) {
    const i = NAMED.indexOf(color.slice(6).toLowerCase());
    if (i >= 0) return String((bg ? 100 : 90) + i);
  }
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
  if (hex) {
    const [r, g, b] = [hex[1], hex[2], hex[3]].map((h) => parseInt(h!, 16)) as [number, number, number];
    if (depth === 'truecolor') return `${bg ? 48 : 38};2;${r};${g};${b}`;
    return `${bg ? 48 : 38};5;${to256(r, g, b)}`;
  }
  throw new Error(`unknown colour "${color}" (use black, red, green, yellow, blue, magenta, cyan, white, gray, bright<Name> or #rrggbb)`);
}

/** Nearest xterm-256 index: the 6x6x6 cube or the grey ramp. */
export function to256(r: number, g: number, b: number): number {
  if (r === g && g === b) {
    if (r < 8) return 16;
    if (r > 248) return 231;
    return Math.round(((r - 8) / 247) * 24) + 232;
  }
  const c = (v: number) => (v < 48 ? 0 : v < 115 ? 1 : Math.floor((v - 35) / 40));
  return 16 + 36 * c(r) + 6 * c(g) + c(b);
}

export function styleSgr(s: StyleSpec, depth: ColorDepth): string {
  const codes: string[] = [];
  if (s.bold) codes.push('1');
  if (s.dim) codes.push('2');
  if (s.underline) codes.push('4');
  if (s.inverse) codes.push('7');
  if (s.fg) codes.push(colorCode(s.fg, false, depth));
  if (s.bg) codes.push(colorCode(s.bg, true, depth));
  return codes.length ? `\x1b[${codes.join(';')}m` : '';
}

/** Checks a parsed theme file and turns its styles into escapes. Missing roles are plain. */
export function compileTheme(data: unknown, depth: ColorDepth, source: string): Theme {
  if (typeof data !== 'object' || data === null) throw new Error(`${source}: a theme is a JSON object`);
  const obj = data as { name?: unknown; styles?: unknown };
  if (typeof obj.styles !== 'object' || obj.styles === null) throw new Error(`${source}: "styles" must be an object of role → style`);
  const styles = obj.styles as Record<string, unknown>;
  const sgr = {} as Record<Role, string>;
  for (const role of ROLES) sgr[role] = '';
  for (const [role, spec] of Object.entries(styles)) {
    if (!(ROLES as readonly string[]).includes(role)) throw new Error(`${source}: unknown role "${role}" (roles: ${ROLES.join(', ')})`);
    if (typeof spec !== 'object' || spec === null) throw new Error(`${source}: style of "${role}" must be an object`);
    try {
      sgr[role as Role] = styleSgr(spec as StyleSpec, depth);
    } catch (err) {
      throw new Error(`${source}: ${role}: ${(err as Error).message}`);
    }
  }
  return { name: typeof obj.name === 'string' ? obj.name : source, sgr };
}

export function colorDepth(env: NodeJS.ProcessEnv): ColorDepth {
  const ct = (env.COLORTERM ?? '').toLowerCase();
  return ct === 'truecolor' || ct === '24bit' ? 'truecolor' : '256';
}

function themeDirs(): string[] {
  return ['../themes/', '../../themes/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
}

/**
 * The theme for `--theme NAME`: a built-in name, a file in themes/, or a path to a .json
 * file. NO_COLOR (set and non-empty) always gives `mono`. Throws with a one-line message.
 */
export function loadTheme(name: string, env: NodeJS.ProcessEnv = process.env): Theme {
  const depth = colorDepth(env);
  if (env.NO_COLOR) return compileTheme(mono, depth, 'mono');
  if (name === 'default') name = 'dark';
  if (BUILTIN[name]) return compileTheme(BUILTIN[name], depth, name);
  const isPath = name.includes('/') || name.endsWith('.json');
  const candidates = isPath ? [name] : themeDirs().map((d) => `${d}${name}.json`);
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`theme ${file}: ${(err as Error).message}`);
    }
    return compileTheme(data, depth, file);
  }
  throw new Error(`unknown theme "${name}": use ${BUILTIN_THEMES.join(', ')}, a file in themes/, or a path to a .json file`);
}
