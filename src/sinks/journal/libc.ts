/**
 * The few libc calls journald's native protocol needs and Node does not offer: an unbound
 * AF_UNIX datagram socket, `sendto`, and for entries too large for one datagram a sealed memfd
 * passed with `sendmsg` + SCM_RIGHTS. They are reached through koffi, an FFI addon whose
 * prebuilt binaries ship inside registry packages (no compiler, no install script needed).
 * koffi is an optionalDependency: when it is missing or cannot load, `loadLibc` says so and the
 * journal sink shows that reason as a failing row.
 *
 * Why this and not unix-dgram, node-unix-socket, logger/systemd-cat or the stream socket:
 * docs/architecture.md, "Journald transport".
 */
import { constants } from 'node:os';

/** What the transport calls. Every call returns -1 and sets `errno()` on failure, as libc does. */
export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  sendto(fd: number, buf: Buffer, len: number, flags: number, addr: Buffer, addrLen: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  /** Several datagrams in one call (struct mmsghdr[]); returns how many went, or -1. */
  sendmmsg(fd: number, msgs: Buffer, count: number, flags: number): number;
  /** `sendmmsg` on one of koffi's worker threads: a blocking socket waits there, not in the event loop. */
  sendmmsgAsync(fd: number, msgs: Buffer, count: number, flags: number): Promise<number>;
  sendmsg(fd: number, msg: Buffer, flags: number): number;
  memfdCreate(name: string, flags: number): number;
  write(fd: number, buf: Buffer, len: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  close(fd: number): number;
  errno(): number;
  /** The address of a Buffer's bytes, for the pointers inside msghdr/cmsghdr. */
  address(buf: Buffer): bigint;
}

export type LibcLoad = { ok: true; libc: Libc } | { ok: false; reason: string };

// Linux constants (the same on x86-64, arm64 and the other 64-bit ports koffi ships for).
export const AF_UNIX = 1;
export const SOCK_DGRAM = 2;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const MSG_NOSIGNAL = 0x4000;
export const SOL_SOCKET = 1;
export const SCM_RIGHTS = 1;
/** asm-generic SO_SNDTIMEO (struct timeval), x86-64 and arm64 alike. */
export const SO_SNDTIMEO = 21;
export const MFD_CLOEXEC = 1;
export const MFD_ALLOW_SEALING = 2;
export const F_ADD_SEALS = 1033;
/** F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE */
export const ALL_SEALS = 1 | 2 | 4 | 8;

const LIBC_NAMES = ['libc.so.6', 'libc.so', 'libc.musl-x86_64.so.1', 'libc.musl-aarch64.so.1'];

type KoffiFn = ((...args: unknown[]) => unknown) & { async(...args: unknown[]): void };
interface KoffiLib {
  func(decl: string): KoffiFn;
}
interface Koffi {
  load(name: string): KoffiLib;
  errno(): number;
  address(value: unknown): bigint | number;
}

let cached: Promise<LibcLoad> | undefined;

/** Loads koffi and binds libc once per process. Never throws. */
export function loadLibc(): Promise<LibcLoad> {
  cached ??= loadLibcWith(() => import('koffi' as string));
  return cached;
}

/** `loadLibc` with the import of koffi given (tests pass one that fails). */
export async function loadLibcWith(importKoffi: () => Promise<unknown>, platform = process.platform): Promise<LibcLoad> {
  if (platform !== 'linux') return { ok: false, reason: `journald runs only on Linux (this is ${platform})` };
  let koffi: Koffi;
  try {
    const ns = (await importKoffi()) as { default?: Koffi } & Koffi;
    koffi = typeof ns.load === 'function' ? ns : ns.default!;
    if (typeof koffi?.load !== 'function') throw new Error('koffi has no load()');
  } catch (e) {
    return {
      ok: false,
      reason: `the optional package koffi (libc calls for journald's datagram socket) is not installed or cannot load here: ${firstLine(e)}; install it with npm install (not --omit=optional)`,
    };
  }
  let lib: KoffiLib | undefined;
  let lastError = '';
  for (const n of LIBC_NAMES) {
    try {
      lib = koffi.load(n);
      break;
    } catch (e) {
      lastError = firstLine(e);
    }
  }
  if (!lib) return { ok: false, reason: `cannot load the C library through koffi: ${lastError}` };
  try {
    const socket = lib.func('int socket(int, int, int)');
    const sendto = lib.func('long sendto(int, const uint8_t *buf, size_t len, int flags, const uint8_t *addr, uint32_t addrlen)');
    const setsockopt = lib.func('int setsockopt(int, int, int, const uint8_t *value, uint32_t len)');
    const sendmmsg = lib.func('int sendmmsg(int, uint8_t *msgs, unsigned int count, int flags)');
    const sendmsg = lib.func('long sendmsg(int, const uint8_t *msg, int flags)');
    const memfd = lib.func('int memfd_create(const char *name, unsigned int flags)');
    const write = lib.func('long write(int, const uint8_t *buf, size_t len)');
    const fcntl = lib.func('int fcntl(int, int, int)');
    const close = lib.func('int close(int)');
    return {
      ok: true,
      libc: {
        socket: (d, t, p) => Number(socket(d, t, p)),
        sendto: (fd, buf, len, flags, addr, addrLen) => Number(sendto(fd, buf, len, flags, addr, addrLen)),
        setsockopt: (fd, level, name, value, len) => Number(setsockopt(fd, level, name, value, len)),
        sendmsg: (fd, msg, flags) => Number(sendmsg(fd, msg, flags)),
        sendmmsg: (fd, msgs, count, flags) => Number(sendmmsg(fd, msgs, count, flags)),
        sendmmsgAsync: (fd, msgs, count, flags) =>
          new Promise((resolve) => sendmmsg.async(fd, msgs, count, flags, (err: unknown, res: unknown) => resolve(err ? -1 : Number(res)))),
        memfdCreate: (name, flags) => Number(memfd(name, flags)),
        write: (fd, buf, len) => Number(write(fd, buf, len)),
        fcntl: (fd, cmd, arg) => Number(fcntl(fd, cmd, arg)),
        close: (fd) => Number(close(fd)),
        errno: () => koffi.errno(),
        address: (buf) => BigInt(koffi.address(buf)),
      },
    };
  } catch (e) {
    return { ok: false, reason: `the C library lacks a call journald's protocol needs: ${firstLine(e)}` };
  }
}

const ERRNO_NAMES = new Map<number, string>();
for (const [name, n] of Object.entries(constants.errno)) if (!ERRNO_NAMES.has(n)) ERRNO_NAMES.set(n, name);

/** `ECONNREFUSED` for 111 on Linux; `errno 999` for what Node does not name. */
export function errnoName(n: number): string {
  return ERRNO_NAMES.get(n) ?? `errno ${n}`;
}

export function errnoIs(n: number, name: keyof typeof constants.errno): boolean {
  return constants.errno[name] === n;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}
