/**
 * Sends journald native-protocol payloads to a journal socket (https://systemd.io/JOURNAL_NATIVE_PROTOCOL/):
 * one datagram per entry from an unbound, non-blocking AF_UNIX datagram socket, addressed to the
 * socket path on every send (so a journald that restarts and binds its socket anew is reached
 * again without reopening anything). An entry the kernel refuses as too large for one datagram
 * (EMSGSIZE) is written to a memfd, sealed (no shrink, grow, write, further seals) and the
 * descriptor alone is sent with SCM_RIGHTS, as Stalwart and libsystemd do.
 */
import {
  AF_UNIX,
  ALL_SEALS,
  errnoIs,
  errnoName,
  F_ADD_SEALS,
  MFD_ALLOW_SEALING,
  MFD_CLOEXEC,
  MSG_NOSIGNAL,
  SCM_RIGHTS,
  SOCK_CLOEXEC,
  SOCK_DGRAM,
  SOCK_NONBLOCK,
  SO_SNDTIMEO,
  SOL_SOCKET,
  type Libc,
} from './libc.js';

/** The system journal's native socket (`socket` key default). */
export const SYSTEM_JOURNAL_SOCKET = '/run/systemd/journal/socket';

/** sockaddr_un: sa_family (2 bytes) + sun_path[108]. */
const SUN_PATH_MAX = 108;
const SOCKADDR_UN_SIZE = 2 + SUN_PATH_MAX;
/** UIO_MAXIOV: the most messages one sendmmsg takes. */
const MAX_BATCH = 1024;

/**
 * How a send ended: `ok`; `busy` (journald's queue is full: EAGAIN/ENOBUFS, try again soon);
 * `away` (no journald listens there: the socket is missing or refuses); `failed` (anything
 * else, e.g. the memfd path failing for a too-large entry).
 */
export type SendFailure = { kind: 'busy' | 'away' | 'failed'; error: string; errno: string };
export type SendOutcome = { kind: 'ok'; memfd: boolean } | SendFailure;

export class JournalSocket {
  private fd = -1;
  /** A blocking twin with a send timeout, used from a worker thread while journald is busy. */
  private waitFd = -1;
  private waitMs = -1;
  private readonly addr: Buffer;
  /** Entries that went as a sealed memfd. */
  memfdSends = 0;
  /** Times journald was busy and a blocking send on a worker thread waited for it. */
  busyWaits = 0;
  bytes = 0;

  constructor(
    private readonly libc: Libc,
    readonly path: string,
  ) {
    const p = Buffer.from(path, 'utf8');
    if (p.length >= SUN_PATH_MAX) throw new Error(`journal socket path is ${p.length} bytes, a Unix socket path holds at most ${SUN_PATH_MAX - 1}: ${path}`);
    this.addr = Buffer.alloc(SOCKADDR_UN_SIZE);
    this.addr.writeUInt16LE(AF_UNIX, 0);
    p.copy(this.addr, 2);
  }

  /** Creates the socket if needed; returns an error text on failure. */
  open(): string | undefined {
    if (this.fd >= 0) return undefined;
    const fd = this.libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return `cannot create a Unix datagram socket: ${errnoName(this.libc.errno())}`;
    this.fd = fd;
    return undefined;
  }

  /** Stalwart's start-up check: an empty datagram, which journald reads and discards. */
  probe(): SendOutcome {
    return this.send(Buffer.alloc(0));
  }

  send(payload: Buffer): SendOutcome {
    const opened = this.open();
    if (opened !== undefined) return { kind: 'failed', error: opened, errno: 'socket' };
    const l = this.libc;
    const r = l.sendto(this.fd, payload, payload.length, MSG_NOSIGNAL, this.addr, SOCKADDR_UN_SIZE);
    if (r >= 0) {
      this.bytes += payload.length;
      return { kind: 'ok', memfd: false };
    }
    const e = l.errno();
    if (errnoIs(e, 'EMSGSIZE')) return this.sendLarge(payload);
    return this.outcome(e, `${payload.length} byte entry`);
  }

  /**
   * Sends `payloads[from..]` (at most 1024, the kernel's UIO_MAXIOV) as separate datagrams with
   * one `sendmmsg`, and returns how many went. When one does not go, `stop` says why for
   * `payloads[from + sent]`. First without waiting; while journald is busy, the same call on
   * a *blocking* twin socket with SO_SNDTIMEO = `limitMs`, run on one of koffi's worker
   * threads: it goes on the moment journald reads (as Stalwart's blocking send does), without
   * polling and without holding the event loop. An entry too large for a datagram goes alone
   * through `send` (sealed memfd).
   */
  async sendBatch(payloads: readonly Buffer[], from: number, limitMs: number): Promise<{ sent: number; stop?: SendFailure }> {
    const opened = this.open();
    if (opened !== undefined) return { sent: 0, stop: { kind: 'failed', error: opened, errno: 'socket' } };
    const l = this.libc;
    const count = Math.min(payloads.length - from, MAX_BATCH);
    if (count <= 0) return { sent: 0 };
    const msgs = this.mmsghdrs(payloads, from, count);
    let n = l.sendmmsg(this.fd, msgs.buf, count, MSG_NOSIGNAL);
    if (n < 0) {
      const e = l.errno();
      if (errnoIs(e, 'EAGAIN') || errnoIs(e, 'EWOULDBLOCK') || errnoIs(e, 'ENOBUFS')) {
        this.busyWaits++;
        const w = this.waitSocket(limitMs);
        n = w < 0 ? -1 : await l.sendmmsgAsync(w, msgs.buf, count, MSG_NOSIGNAL);
        // The headers point into these buffers: they must live until the worker is done.
        keepUntilHere(msgs.keep);
      }
    }
    if (n > 0) {
      for (let i = 0; i < n; i++) this.bytes += payloads[from + i]!.length;
      return { sent: n };
    }
    // Nothing went: find out why with the first one alone (this also takes the memfd path).
    const r = this.send(payloads[from]!);
    return r.kind === 'ok' ? { sent: 1 } : { sent: 0, stop: r };
  }

  /** The blocking twin socket, with a send timeout of `limitMs`; -1 when it cannot be made. */
  private waitSocket(limitMs: number): number {
    const l = this.libc;
    if (this.waitFd >= 0 && this.waitMs === limitMs) return this.waitFd;
    if (this.waitFd >= 0) l.close(this.waitFd);
    this.waitFd = l.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    this.waitMs = limitMs;
    if (this.waitFd >= 0) {
      const tv = Buffer.alloc(16);
      tv.writeBigInt64LE(BigInt(Math.floor(limitMs / 1000)), 0);
      tv.writeBigInt64LE(BigInt((limitMs % 1000) * 1000), 8);
      l.setsockopt(this.waitFd, SOL_SOCKET, SO_SNDTIMEO, tv, 16);
    }
    return this.waitFd;
  }

  /**
   * struct mmsghdr[count] (LP64: msghdr 56 bytes + msg_len, padded to 64), each with the
   * journal's address and one iovec into one buffer holding every payload.
   */
  private mmsghdrs(payloads: readonly Buffer[], from: number, count: number): { buf: Buffer; keep: Buffer[] } {
    const l = this.libc;
    const data = Buffer.concat(payloads.slice(from, from + count));
    const iovs = Buffer.alloc(16 * count);
    const buf = Buffer.alloc(64 * count);
    const base = l.address(data);
    const iovBase = l.address(iovs);
    const addr = l.address(this.addr);
    let off = 0;
    for (let i = 0; i < count; i++) {
      const len = payloads[from + i]!.length;
      iovs.writeBigUInt64LE(base + BigInt(off), 16 * i);
      iovs.writeBigUInt64LE(BigInt(len), 16 * i + 8);
      off += len;
      const m = 64 * i;
      buf.writeBigUInt64LE(addr, m);
      buf.writeUInt32LE(SOCKADDR_UN_SIZE, m + 8);
      buf.writeBigUInt64LE(iovBase + BigInt(16 * i), m + 16);
      buf.writeBigUInt64LE(1n, m + 24);
    }
    return { buf, keep: [data, iovs] };
  }

  close(): void {
    if (this.fd >= 0) this.libc.close(this.fd);
    if (this.waitFd >= 0) this.libc.close(this.waitFd);
    this.fd = -1;
    this.waitFd = -1;
  }

  /** Too large for one datagram: a sealed memfd holding the payload, passed as a descriptor. */
  private sendLarge(payload: Buffer): SendOutcome {
    const l = this.libc;
    const mfd = l.memfdCreate('mailtel-journal', MFD_ALLOW_SEALING | MFD_CLOEXEC);
    if (mfd < 0) return this.failed(l.errno(), `memfd_create for a ${payload.length} byte entry`);
    try {
      let off = 0;
      while (off < payload.length) {
        const part = off === 0 ? payload : payload.subarray(off);
        const n = l.write(mfd, part, part.length);
        if (n <= 0) return this.failed(l.errno(), `writing a ${payload.length} byte entry to a memfd`);
        off += n;
      }
      if (l.fcntl(mfd, F_ADD_SEALS, ALL_SEALS) < 0) return this.failed(l.errno(), 'sealing the memfd');
      const r = l.sendmsg(this.fd, this.fdMessage(mfd), MSG_NOSIGNAL);
      if (r < 0) return this.outcome(l.errno(), `memfd with a ${payload.length} byte entry`);
      this.memfdSends++;
      this.bytes += payload.length;
      return { kind: 'ok', memfd: true };
    } finally {
      l.close(mfd);
    }
  }

  /**
   * msghdr {name, namelen, iov=NULL, iovlen=0, control, controllen, flags} with one cmsghdr
   * {len, SOL_SOCKET, SCM_RIGHTS, fd}. LP64 layout: pointers and size_t are 8 bytes.
   */
  private fdMessage(fd: number): Buffer {
    const control = Buffer.alloc(24); // CMSG_SPACE(sizeof(int)) on LP64
    control.writeBigUInt64LE(20n, 0); // CMSG_LEN(sizeof(int))
    control.writeInt32LE(SOL_SOCKET, 8);
    control.writeInt32LE(SCM_RIGHTS, 12);
    control.writeInt32LE(fd, 16);
    const msg = Buffer.alloc(56);
    msg.writeBigUInt64LE(this.libc.address(this.addr), 0);
    msg.writeUInt32LE(SOCKADDR_UN_SIZE, 8);
    msg.writeBigUInt64LE(this.libc.address(control), 32);
    msg.writeBigUInt64LE(BigInt(control.length), 40);
    // keep `control` reachable until sendmsg returns: the caller holds `msg`, and this array
    // holds `control` for as long as `msg` lives.
    keepAlive.set(msg, control);
    return msg;
  }

  private outcome(e: number, what: string): SendOutcome {
    const errno = errnoName(e);
    if (errnoIs(e, 'EAGAIN') || errnoIs(e, 'EWOULDBLOCK') || errnoIs(e, 'ENOBUFS'))
      return { kind: 'busy', errno, error: `journald at ${this.path} is not keeping up (${errno})` };
    if (errnoIs(e, 'ENOENT') || errnoIs(e, 'ECONNREFUSED') || errnoIs(e, 'ENOTDIR'))
      return { kind: 'away', errno, error: `no journald listens at ${this.path} (${errno})` };
    return this.failed(e, what);
  }

  private failed(e: number, what: string): SendOutcome {
    const errno = errnoName(e);
    return { kind: 'failed', errno, error: `journald at ${this.path}: ${what} failed (${errno})` };
  }
}

const keepAlive = new WeakMap<Buffer, Buffer>();

/** Touches `bufs` so they stay reachable up to this point of the caller. */
function keepUntilHere(bufs: readonly Buffer[]): void {
  if (bufs.length < 0) throw new Error('unreachable');
}
