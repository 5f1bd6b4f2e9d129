import { useMemo } from 'react';
import type { TelemetryEvent } from '../runtime/event.js';
import type { RuntimeApi } from '../runtime/types.js';
import { cursorForTime, histogram, type Histogram } from './view/histogram.js';
import { securityAlarms } from './view/security.js';
import type { ViewState } from './view/state.js';
import type { Seg } from './text/styled.js';
import { styleSgr, type Role, type Theme } from './theme.js';
import type { Sample } from './use-sample.js';

/** The header's marks from the command line and the config (`[console]`). */
export interface ConsoleMarks {
  readOnly?: boolean;
  host?: string;
  banner?: string;
  /** A colour name or #rrggbb for the banner's background (default red). */
  bannerColor?: string;
}

const BANNER = 'banner' as Role;

/**
 * What the mail views add to each frame, computed once per sample (never per event): the
 * histogram over the events shown (only while it is on), the header's marks with the security
 * alarm (read from the mail index's per-second counts once a second), and the theme with the
 * banner's colour.
 */
export function useMailFrame(runtime: RuntimeApi, sample: Sample, items: readonly TelemetryEvent[], view: ViewState, cols: number, theme: Theme, m: ConsoleMarks = {}) {
  const hist: Histogram | null = useMemo(() => (view.histogram ? histogram(items, cols) : null), [view.histogram, items, cols]);
  // The alarm compares per-minute counts: read once a second (and without the top IPs and
  // accounts, which only the security panel shows), not on every frame.
  const second = Math.floor(sample.snap.at / 1000);
  const alarms = useMemo(() => (runtime.mail ? securityAlarms(runtime.mail.security(second * 1000, false)) : []), [runtime, second]);
  const headerTheme = useMemo(() => {
    if (!m.banner) return theme;
    let open = '';
    try {
      open = styleSgr({ fg: 'brightWhite', bg: m.bannerColor ?? 'red', bold: true }, 'truecolor');
    } catch {
      open = theme.sgr.badge;
    }
    if (theme.name === 'mono') open = theme.sgr.badge;
    return { ...theme, sgr: { ...theme.sgr, [BANNER]: open } };
  }, [theme, m.banner, m.bannerColor]);
  const alarmKey = alarms.join(',');
  const marks = useMemo(() => {
    const out: Seg[] = [];
    if (m.banner) out.push([` ${m.banner} `, BANNER], [' ']);
    if (m.host) out.push([`@${m.host} `, 'muted']);
    if (m.readOnly) out.push([' READ-ONLY ', 'badge'], [' ']);
    if (alarmKey) out.push([` ▲ ${alarmKey} `, 'state.bad'], [' ']);
    return out;
  }, [m.banner, m.host, m.readOnly, alarmKey]);
  const cursorFor = (bucketFromEnd: number) => {
    const b = hist?.buckets[hist.buckets.length - 1 - bucketFromEnd];
    return b ? cursorForTime(items, b.end) : 0;
  };
  return { hist, marks, theme: headerTheme, cursorFor, alarms };
}
